// Package partnercenter is the operator's one REST client for the Microsoft
// Partner Center (CSP) API, plus the ARM cost-management policy call used for
// rule C11.
//
// The package has three layers:
//
//   - Wire models (package wire): typed resources with the JSON names and
//     enum casing the API uses, the operation names and headers, the error
//     codes and error bodies. The client always sends camelCase; decoding is
//     case-insensitive (encoding/json), so PascalCase samples decode too.
//     The simulator (internal/pcsim) imports package wire too, so both sides
//     of the HTTP contract share one definition.
//   - Transport (client.go): an azcore pipeline with retry honouring
//     Retry-After, a per-try timeout, telemetry and logging with the
//     Authorization header redacted, per-try pacing (budget.go: the drift
//     checks' share, each operation group at its rate), a client-side token
//     bucket and a throttle gate (throttle.go) per partner account, an audit
//     line per changing call (audit.go), and Prometheus metrics. A Retry-After longer than
//     Options.MaxInlineRetryAfter is never waited for inline: it comes back as
//     a *ThrottledError so a reconciler can requeue after it.
//   - Operations (customers.go, verification.go, agreements.go, resellers.go,
//     attestations.go, orders.go, carts.go, subscriptions.go, auditrecords.go,
//     costmanagement.go): one method per API call; mca.go reads whether a
//     customer's MCA is accepted (ReadMCAState).
//     Mutating methods take the MS-RequestId from the caller, who derives it
//     from an intent it persisted, so a retried intent replays idempotently.
//
// Authentication helpers (auth.go) build app-only (azidentity) and App+User
// (stored refresh token) credentials from a Kubernetes Secret's data;
// refreshtoken.go writes a rotated refresh token back through a TokenStore.
package partnercenter
