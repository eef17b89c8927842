// Package wire is Partner Center's REST API as data: the JSON models, the
// operation names and headers, and the error codes and error bodies. The
// client (internal/partnercenter) and the simulator (internal/pcsim) both
// speak it, so the simulator needs neither azcore nor Prometheus.
package wire
