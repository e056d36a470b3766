/**
 * Starting points for `new NAME -t TEMPLATE` (Hyperfoil offers the same three): `constant` (open model, a fixed
 * rate of new users), `throughput` (closed model, users that loop as fast as the server answers) and `empty`.
 * They hit `hyperfoil example-server` on localhost:8080; `{{NAME}}` becomes the benchmark's name.
 */

export const TEMPLATES: Readonly<Record<string, string>> = {
  constant: `# Open model: 10 new users arrive every second for 30 s, whatever the response times are.
name: {{NAME}}
http:
  host: http://localhost:8080
  sharedConnections: 10
phases:
- main:
    constantRate:
      usersPerSec: 10
      duration: 30s
      maxSessions: 100
      scenario:
      - request:
        - httpRequest:
            GET: /
`,
  throughput: `# Closed model: 10 users send requests back to back for 30 s; the server's speed sets the rate.
name: {{NAME}}
http:
  host: http://localhost:8080
  sharedConnections: 10
phases:
- main:
    always:
      users: 10
      duration: 30s
      scenario:
      - request:
        - httpRequest:
            GET: /
`,
  empty: `# An empty benchmark: add \`http\` and \`phases\` (see \`hyperfoil schema\` and the examples).
name: {{NAME}}
`,
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES);

export function renderTemplate(template: string, name: string): string | undefined {
  const text = TEMPLATES[template];
  return text?.replace('{{NAME}}', /^[\w.-]+$/.test(name) ? name : JSON.stringify(name));
}
