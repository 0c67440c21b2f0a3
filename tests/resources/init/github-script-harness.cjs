// Runs the `script:` of an actions/github-script step the way the action does
// (an async function of require, github, context and core), against an
// in-memory stand-in for GitHub's REST API: the network is the one thing the
// tests replace. Usage: node github-script-harness.cjs SCRIPT_FILE STATE_FILE
// The state (comments and issues) is read from STATE_FILE and written back.
"use strict";
const fs = require("fs");

const [scriptFile, stateFile] = process.argv.slice(2);
const script = fs.readFileSync(scriptFile, "utf8");
const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
state.next = state.next || 1;
state.calls = [];

const bot = { login: "github-actions[bot]", type: "Bot" };
const page = (items, per_page) => items.slice(0, per_page || 30);

const issues = {
  listComments: async ({ issue_number, per_page }) => ({
    data: page(state.comments.filter((c) => c.issue_number === issue_number), per_page),
  }),
  createComment: async ({ issue_number, body }) => {
    const comment = { id: state.next++, issue_number, body, user: bot };
    state.comments.push(comment);
    return { data: comment };
  },
  updateComment: async ({ comment_id, body }) => {
    const comment = state.comments.find((c) => c.id === comment_id);
    if (!comment) throw new Error(`404: no comment ${comment_id}`);
    comment.body = body;
    return { data: comment };
  },
  // newest first, as GitHub lists them by default
  listForRepo: async ({ state: wanted, labels, per_page }) => ({
    data: page(state.issues.filter((i) => (wanted === "all" || i.state === (wanted || "open"))
      && (!labels || labels.split(",").every((l) => i.labels.includes(l)))).slice().reverse(),
    per_page),
  }),
  createLabel: async ({ name }) => {
    state.labels = state.labels || [];
    if (state.labels.includes(name)) {
      throw Object.assign(new Error("422: already_exists"), { status: 422 });
    }
    state.labels.push(name);
    return { data: { name } };
  },
  create: async ({ title, body, labels }) => {
    const issue = { number: state.next++, title, body, labels: labels || [], state: "open",
      user: bot };
    state.issues.push(issue);
    return { data: issue };
  },
  addLabels: async ({ issue_number, labels }) => {
    const issue = state.issues.find((i) => i.number === issue_number);
    if (!issue) throw new Error(`404: no issue ${issue_number}`);
    issue.labels = [...new Set([...issue.labels, ...labels])];
    return { data: issue.labels.map((name) => ({ name })) };
  },
  removeLabel: async ({ issue_number, name }) => {
    const issue = state.issues.find((i) => i.number === issue_number);
    if (!issue || !issue.labels.includes(name)) {
      throw Object.assign(new Error("404: Label does not exist"), { status: 404 });
    }
    issue.labels = issue.labels.filter((l) => l !== name);
    return { data: [] };
  },
  update: async ({ issue_number, ...fields }) => {
    const issue = state.issues.find((i) => i.number === issue_number);
    if (!issue) throw new Error(`404: no issue ${issue_number}`);
    Object.assign(issue, fields);
    return { data: issue };
  },
};
for (const [name, fn] of Object.entries(issues)) {
  issues[name] = async (params) => {
    state.calls.push(name);
    return fn(params);
  };
}

// pull requests: listed by `head` ("owner:branch") and state, as GitHub filters them
const pulls = {
  list: async ({ head, state: wanted, base }) => ({
    data: (state.pulls || []).filter((p) => (!head || `acme:${p.head}` === head)
      && (!base || p.base === base) && (!wanted || wanted === "all" || p.state === wanted)),
  }),
  create: async ({ head, base, title, body }) => {
    state.pulls = state.pulls || [];
    if (state.pulls.some((p) => p.head === head && p.state === "open")) {
      throw Object.assign(new Error("422: A pull request already exists"), { status: 422 });
    }
    const number = state.next++;
    const pull = { number, head, base, title, body, state: "open",
      html_url: `https://github.com/acme/okrs/pull/${number}` };
    state.pulls.push(pull);
    return { data: pull };
  },
};
for (const [name, fn] of Object.entries(pulls)) {
  pulls[name] = async (params) => {
    state.calls.push(`pulls.${name}`);
    return fn(params);
  };
}

const github = {
  rest: { issues, pulls },
  paginate: async (method, params) => (await method({ ...params })).data,
};
const context = { repo: { owner: "acme", repo: "okrs" }, issue: { number: 7 },
  payload: state.payload || {} };
const core = { setFailed: (message) => { throw new Error(message); } };

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core)
  .then(() => fs.writeFileSync(stateFile, JSON.stringify(state, null, 2)))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
