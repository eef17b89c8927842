package partnercenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/go-logr/logr"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

const (
	moduleName    = "partnercenter"
	moduleVersion = "v0.1.0"
	// applicationID is sent in the User-Agent by azcore's telemetry policy.
	applicationID = "partnercenter-operator"

	defaultMaxRetries          = 3
	defaultMaxInlineRetryAfter = 10 * time.Second
	defaultTryTimeout          = 30 * time.Second
	defaultRetryDelay          = 500 * time.Millisecond
	// defaultThrottleDelay is used when a 429 carries no usable Retry-After.
	defaultThrottleDelay = 5 * time.Second
	// minThrottleDelay keeps a "Retry-After: 0" from becoming RequeueAfter(0), which means "no requeue".
	minThrottleDelay = time.Second
)

// Options configure a Client. One Client serves one partner account.
type Options struct {
	// BaseURL is the Partner Center endpoint (default DefaultBaseURL); point it at the simulator in tests.
	BaseURL string
	// ARMBaseURL is the Azure Resource Manager endpoint for SetCostManagementPolicy (default DefaultARMBaseURL).
	ARMBaseURL string
	// AppOnly is the app-only credential (scope ScopeAppOnly). May be nil.
	AppOnly azcore.TokenCredential
	// AppUser is the App+User credential (scope ScopeAppUser). May be nil; App+User-only calls then fail
	// with *CredentialRequiredError. Other calls prefer AppOnly and fall back to AppUser.
	AppUser azcore.TokenCredential
	// ARM is the credential for ARM (scope ScopeARM). May be nil.
	ARM azcore.TokenCredential
	// RequestsPerSecond is the client-side token bucket rate for this partner account; 0 means unlimited.
	RequestsPerSecond float64
	// Burst is the token bucket size (default 1 when RequestsPerSecond > 0).
	Burst int
	// GroupLimits pace the calls of each operation group (wire.OperationGroup) at
	// Partner Center's rate for it (wire.DocumentedRateLimits), so bursts of one
	// resource are not answered 429; nil: no per-group pacing.
	GroupLimits map[string]wire.RateLimit
	// ReservedShare is the part of RequestsPerSecond kept for writes and
	// user-driven reads: the reads of drift checks (WithResync) take at most
	// the rest. 0 reserves nothing; it must be below 1.
	ReservedShare float64
	// MaxRetries is the number of inline retries for 408/429/5xx and network errors (default 3; negative = none).
	MaxRetries int
	// MaxInlineRetryAfter is the longest Retry-After the client waits inline (default 10s); a longer one
	// returns *ThrottledError at once.
	MaxInlineRetryAfter time.Duration
	// TryTimeout bounds each try (default 30s).
	TryTimeout time.Duration
	// RetryDelay is the base back-off between retries without Retry-After (default 500ms).
	RetryDelay time.Duration
	// Transport sends the HTTP requests (default azcore's client). An *http.Client satisfies it.
	Transport policy.Transporter
	// InsecureAllowHTTP lets bearer tokens go over plain HTTP to a non-loopback host (an in-cluster
	// simulator). Loopback hosts are always allowed.
	InsecureAllowHTTP bool
	// Registerer receives the client's metrics; nil means metrics are not registered.
	Registerer prometheus.Registerer
	// Logger receives one line per call at V(1) (no headers, no bodies).
	Logger logr.Logger
	// AttestationAPIVersion is the {version} path segment of the enhanced attestation calls
	// (default wire.DefaultAPIVersion).
	AttestationAPIVersion string
}

// Client is the Partner Center REST client. It is safe for concurrent use.
type Client struct {
	baseURL             string
	armBaseURL          string
	appOnly             *runtime.Pipeline
	appUser             *runtime.Pipeline
	arm                 *runtime.Pipeline
	maxInlineRetryAfter time.Duration
	metrics             *metrics
	logger              logr.Logger
	attestationVersion  string
}

// New builds a Client from opts.
func New(opts Options) (*Client, error) {
	opts = withDefaults(opts)
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	if opts.ReservedShare < 0 || opts.ReservedShare >= 1 {
		return nil, fmt.Errorf("partnercenter: the reserved share %v must be at least 0 and below 1", opts.ReservedShare)
	}
	limiter := newLimiter(opts.RequestsPerSecond, opts.Burst)
	gate := newThrottleGate(time.Now)
	pacing := budgetPolicies(opts)
	c := &Client{
		baseURL:             strings.TrimRight(opts.BaseURL, "/"),
		armBaseURL:          strings.TrimRight(opts.ARMBaseURL, "/"),
		maxInlineRetryAfter: opts.MaxInlineRetryAfter,
		metrics:             m,
		logger:              opts.Logger,
		attestationVersion:  opts.AttestationAPIVersion,
	}
	pcInsecure, err := allowHTTP(c.baseURL, opts.InsecureAllowHTTP)
	if err != nil {
		return nil, err
	}
	armInsecure, err := allowHTTP(c.armBaseURL, opts.InsecureAllowHTTP)
	if err != nil {
		return nil, err
	}
	c.appOnly = newPipeline(opts, opts.AppOnly, wire.ScopeAppOnly, pcInsecure, pacing, limiter, gate, m)
	c.appUser = newPipeline(opts, opts.AppUser, wire.ScopeAppUser, pcInsecure, pacing, limiter, gate, m)
	c.arm = newPipeline(opts, opts.ARM, wire.ScopeARM, armInsecure, nil, nil, gate, m)
	return c, nil
}

func withDefaults(opts Options) Options {
	if opts.BaseURL == "" {
		opts.BaseURL = wire.DefaultBaseURL
	}
	if opts.ARMBaseURL == "" {
		opts.ARMBaseURL = wire.DefaultARMBaseURL
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = defaultMaxRetries
	}
	if opts.MaxInlineRetryAfter == 0 {
		opts.MaxInlineRetryAfter = defaultMaxInlineRetryAfter
	}
	if opts.TryTimeout == 0 {
		opts.TryTimeout = defaultTryTimeout
	}
	if opts.RetryDelay == 0 {
		opts.RetryDelay = defaultRetryDelay
	}
	if opts.Burst <= 0 {
		opts.Burst = 1
	}
	if opts.Logger.GetSink() == nil {
		opts.Logger = logr.Discard()
	}
	if opts.AttestationAPIVersion == "" {
		opts.AttestationAPIVersion = wire.DefaultAPIVersion
	}
	return opts
}

// allowHTTP reports whether bearer tokens may go to base over plain HTTP.
func allowHTTP(base string, insecure bool) (bool, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return false, fmt.Errorf("partnercenter: invalid base URL %q", base)
	}
	if u.Scheme != "http" {
		return false, nil
	}
	return insecure || isLoopback(u.Hostname()), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func newLimiter(rps float64, burst int) *rate.Limiter {
	if rps <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(rps), burst)
}

// newPipeline builds the azcore pipeline for one credential, or nil when cred is nil.
// Order per try: the pacing policies (budgetPolicies: drift-check share,
// operation groups), rate limiter, bearer token, the account's throttle gate,
// then azcore's header/log policies; the audit policy runs once per call.
// azcore's retry policy resends the same request, so MS-RequestId stays fixed
// across retries; a Retry-After above MaxRetryDelay (= MaxInlineRetryAfter)
// stops the retries and Client.do turns the 429 into *ThrottledError.
func newPipeline(opts Options, cred azcore.TokenCredential, scope string, insecure bool, pacing []policy.Policy, limiter *rate.Limiter, gate *throttleGate, m *metrics) *runtime.Pipeline {
	if cred == nil {
		return nil
	}
	bearer := runtime.NewBearerTokenPolicy(cred, []string{scope}, &policy.BearerTokenOptions{InsecureAllowCredentialWithHTTP: insecure})
	perRetry := append(slices.Clone(pacing), &tryPolicy{limiter: limiter, metrics: m}, bearer, gate)
	pl := runtime.NewPipeline(moduleName, moduleVersion, runtime.PipelineOptions{
		PerCall:        []policy.Policy{&auditPolicy{logger: opts.Logger}},
		PerRetry:       perRetry,
		AllowedHeaders: []string{wire.HeaderRequestID, wire.HeaderCorrelationID, wire.HeaderRetryAfter},
	}, &policy.ClientOptions{
		Transport: opts.Transport,
		Retry: policy.RetryOptions{
			MaxRetries:    int32(opts.MaxRetries),
			TryTimeout:    opts.TryTimeout,
			RetryDelay:    opts.RetryDelay,
			MaxRetryDelay: opts.MaxInlineRetryAfter,
		},
		Telemetry: policy.TelemetryOptions{ApplicationID: applicationID},
	})
	return &pl
}

// tryPolicy runs on every try: it waits for the token bucket and counts 429s.
type tryPolicy struct {
	limiter *rate.Limiter
	metrics *metrics
}

type operationKey struct{}

// Do implements policy.Policy.
func (p *tryPolicy) Do(req *policy.Request) (*http.Response, error) {
	if p.limiter != nil {
		if err := p.limiter.Wait(req.Raw().Context()); err != nil {
			return nil, err
		}
	}
	resp, err := req.Next()
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		op, _ := req.Raw().Context().Value(operationKey{}).(string)
		p.metrics.throttled(op)
	}
	return resp, err
}

// call describes one API request.
type call struct {
	op     string
	method string
	// path is relative to the base URL and already escaped.
	path  string
	query url.Values
	// requestID is the caller's MS-RequestId for mutations; empty means generate one.
	requestID string
	ifMatch   string
	headers   map[string]string
	body      any
	// appUser marks calls that need an App+User token.
	appUser bool
	// appOnly marks calls that accept only an app-only token (the enhanced attestation flow).
	appOnly bool
	arm     bool
	// ok lists the success statuses; default 200.
	ok []int
}

// succeeded tells whether status is one of the call's success statuses (default 200).
func (cl call) succeeded(status int) bool {
	if len(cl.ok) == 0 {
		return status == http.StatusOK
	}
	return slices.Contains(cl.ok, status)
}

// response is what do returns on success.
type response struct {
	status int
	header http.Header
}

// do sends c through the right pipeline and decodes a success body into out (if non-nil).
func (c *Client) do(ctx context.Context, cl call, out any) (*response, error) {
	pl, err := c.pipelineFor(cl)
	if err != nil {
		return nil, err
	}
	requestID := cl.requestID
	if requestID == "" {
		requestID = uuid.NewString()
	}
	correlationID := uuid.NewString()
	req, err := c.newRequest(context.WithValue(ctx, operationKey{}, cl.op), cl, requestID, correlationID)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := pl.Do(req)
	c.observe(cl, requestID, resp, err, time.Since(start))
	if err != nil {
		return nil, fmt.Errorf("partnercenter %s [MS-RequestId %s]: %w", cl.op, requestID, err)
	}
	payload, err := runtime.Payload(resp)
	if err != nil {
		return nil, fmt.Errorf("partnercenter %s: reading response: %w", cl.op, err)
	}
	if err := c.checkStatus(cl, resp, payload, requestID, correlationID); err != nil {
		return nil, err
	}
	if out != nil && len(payload) > 0 {
		if err := json.Unmarshal(payload, out); err != nil {
			return nil, fmt.Errorf("partnercenter %s: decoding response: %w", cl.op, err)
		}
	}
	return &response{status: resp.StatusCode, header: resp.Header}, nil
}

// pipelineFor picks the credential: ARM, App+User when required, else app-only, else App+User.
func (c *Client) pipelineFor(cl call) (*runtime.Pipeline, error) {
	switch {
	case cl.arm:
		if c.arm == nil {
			return nil, &CredentialRequiredError{Operation: cl.op, Kind: "ARM"}
		}
		return c.arm, nil
	case cl.appOnly:
		if c.appOnly == nil {
			return nil, &CredentialRequiredError{Operation: cl.op, Kind: "app-only"}
		}
		return c.appOnly, nil
	case cl.appUser:
		if c.appUser == nil {
			return nil, &CredentialRequiredError{Operation: cl.op, Kind: "App+User"}
		}
		return c.appUser, nil
	case c.appOnly != nil:
		return c.appOnly, nil
	case c.appUser != nil:
		return c.appUser, nil
	}
	return nil, &CredentialRequiredError{Operation: cl.op, Kind: "app-only or App+User"}
}

func (c *Client) newRequest(ctx context.Context, cl call, requestID, correlationID string) (*policy.Request, error) {
	base := c.baseURL
	if cl.arm {
		base = c.armBaseURL
	}
	target := base + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	req, err := runtime.NewRequest(ctx, cl.method, target)
	if err != nil {
		return nil, fmt.Errorf("partnercenter %s: building request: %w", cl.op, err)
	}
	h := req.Raw().Header
	h.Set("Accept", "application/json")
	h.Set(wire.HeaderRequestID, requestID)
	h.Set(wire.HeaderCorrelationID, correlationID)
	if cl.ifMatch != "" {
		h.Set(wire.HeaderIfMatch, quoteETag(cl.ifMatch))
	}
	for k, v := range cl.headers {
		h.Set(k, v)
	}
	if cl.body != nil {
		if err := runtime.MarshalAsJSON(req, cl.body); err != nil {
			return nil, fmt.Errorf("partnercenter %s: encoding request: %w", cl.op, err)
		}
	}
	return req, nil
}

// quoteETag wraps an etag in double quotes unless it already is quoted.
func quoteETag(etag string) string {
	if strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, `W/"`) {
		return etag
	}
	return `"` + etag + `"`
}

// checkStatus turns a non-success response into *ThrottledError or *Error.
func (c *Client) checkStatus(cl call, resp *http.Response, payload []byte, requestID, correlationID string) error {
	if cl.succeeded(resp.StatusCode) {
		return nil
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return &ThrottledError{
			Operation:  cl.op,
			RetryAfter: max(retryAfter(resp.Header, time.Now()), minThrottleDelay),
			RequestID:  requestID,
			Message:    DecodeError(resp.StatusCode, payload).Description,
		}
	}
	e := DecodeError(resp.StatusCode, payload)
	e.Operation = cl.op
	e.RequestID = requestID
	e.CorrelationID = correlationID
	if IsMFARequired(e) {
		c.metrics.mfaRefusals.WithLabelValues(cl.op).Inc()
	}
	return e
}

// retryAfter reads Retry-After as seconds or an HTTP date; defaultThrottleDelay if absent or invalid.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get(wire.HeaderRetryAfter))
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return defaultThrottleDelay
}

// observe records metrics and a log line for one call.
func (c *Client) observe(cl call, requestID string, resp *http.Response, err error, elapsed time.Duration) {
	code, refused := "error", false
	if IsDeferred(err) {
		code = codeDeferred // never sent
	}
	if err == nil {
		code = strconv.Itoa(resp.StatusCode)
		// A 4xx the call expects (CheckDomain's 404: the domain is free) is an answer, not a refusal.
		refused = resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests && !cl.succeeded(resp.StatusCode)
	}
	c.metrics.observe(cl.op, code, refused, elapsed)
	c.logger.V(1).Info("partner center call", "operation", cl.op, "method", cl.method, "path", cl.path,
		"code", code, "duration", elapsed, "requestId", requestID)
}

// escape escapes one path segment.
func escape(segment string) string { return url.PathEscape(segment) }

// customerPath is /v1/customers/{id} followed by the escaped extra segments.
func customerPath(customerID string, segments ...string) string {
	p := "/v1/customers/" + escape(customerID)
	for _, s := range segments {
		p += "/" + escape(s)
	}
	return p
}
