package partnercenter

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// metrics are the client's Prometheus collectors. Several clients (one per partner account)
// may share one Registerer: an already registered collector is reused.
type metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	throttles *prometheus.CounterVec
	refusals  *prometheus.CounterVec
	// mfaRefusals counts App+User calls refused for lack of MFA (401 900421).
	mfaRefusals *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnercenter_requests_total",
			Help: "Partner Center calls by operation and final HTTP status (\"error\" for transport failures).",
		}, []string{"operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "partnercenter_request_duration_seconds",
			Help:    "Duration of Partner Center calls including inline retries and rate limiting.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
		}, []string{"operation"}),
		throttles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnercenter_throttled_requests_total",
			Help: "HTTP 429 responses received, per try.",
		}, []string{"operation"}),
		mfaRefusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnercenter_mfa_refusals_total",
			Help: "App+User calls Partner Center refused because the refresh token was not obtained with MFA (401 900421); re-consent with an MFA sign-in.",
		}, []string{"operation"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnercenter_refused_requests_total",
			Help: "Calls Partner Center refused (final status 4xx other than 429), by operation.",
		}, []string{"operation"}),
	}
	// Every operation's counters exist at zero, so rate() and increase()
	// see the first throttle or refusal (an absent series has no first sample).
	for _, op := range wire.AllOperations {
		m.throttles.WithLabelValues(op)
		m.refusals.WithLabelValues(op)
		m.mfaRefusals.WithLabelValues(op)
	}
	if reg == nil {
		return m, nil
	}
	var err error
	if m.requests, err = register(reg, m.requests); err != nil {
		return nil, err
	}
	if m.duration, err = register(reg, m.duration); err != nil {
		return nil, err
	}
	if m.throttles, err = register(reg, m.throttles); err != nil {
		return nil, err
	}
	if m.mfaRefusals, err = register(reg, m.mfaRefusals); err != nil {
		return nil, err
	}
	if m.refusals, err = register(reg, m.refusals); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c, or returns the collector already registered under the same name.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	var already prometheus.AlreadyRegisteredError
	if errors.As(err, &already) {
		if existing, ok := already.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}

// observe records one call; refused is a final 4xx other than 429 that the
// call did not expect. A deferred drift check was never sent: it is counted,
// and its wait for budget is not a Partner Center latency.
func (m *metrics) observe(op, code string, refused bool, elapsed time.Duration) {
	m.requests.WithLabelValues(op, code).Inc()
	if code == codeDeferred {
		return
	}
	m.duration.WithLabelValues(op).Observe(elapsed.Seconds())
	if refused {
		m.refusals.WithLabelValues(op).Inc()
	}
}

// codeDeferred is the code label of a deferred drift check (ErrDriftCheckDeferred).
const codeDeferred = "deferred"

func (m *metrics) throttled(op string) { m.throttles.WithLabelValues(op).Inc() }
