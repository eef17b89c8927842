package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/go-logr/logr/funcr"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var throttleReply = func(seconds string) reply {
	return reply{status: 429, header: map[string]string{wire.HeaderRetryAfter: seconds}, body: `{"statusCode":429,"message":"Rate limit is exceeded. Try again in ` + seconds + ` seconds."}`}
}

func TestLongRetryAfterReturnsThrottledErrorWithoutWaiting(t *testing.T) {
	srv := newFakeServer(t, throttleReply("57"))
	c := newTestClient(t, srv.URL, func(o *Options) { o.MaxInlineRetryAfter = 2 * time.Second })
	start := time.Now()
	_, err := c.CreateOrder(context.Background(), "intent-42", "cust-1", wire.Order{})
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("client blocked %v on a long Retry-After", elapsed)
	}
	var te *ThrottledError
	if !errors.As(err, &te) || te.RetryAfter != 57*time.Second || te.RequestID != "intent-42" || te.Operation != wire.OpCreateOrder {
		t.Fatalf("err = %#v, want ThrottledError 57s", err)
	}
	if d, ok := IsThrottled(err); !ok || d != 57*time.Second {
		t.Errorf("IsThrottled = %v %v", d, ok)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestShortRetryAfterIsRetriedWithSameRequestID(t *testing.T) {
	srv := newFakeServer(t, throttleReply("1"), reply{status: 201, body: `{"id":"order-1","status":"pending","lineItems":[]}`})
	c := newTestClient(t, srv.URL)
	order, err := c.CreateOrder(context.Background(), "intent-7", "cust-1", wire.Order{})
	if err != nil || order.ID != "order-1" {
		t.Fatalf("CreateOrder = %+v, %v", order, err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(reqs))
	}
	for _, r := range reqs {
		if got := r.Header.Get(wire.HeaderRequestID); got != "intent-7" {
			t.Errorf("MS-RequestId = %q, want the caller's intent-7 on every try", got)
		}
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < time.Second {
		t.Errorf("retried after %v, before Retry-After 1s", gap)
	}
	if len(reqs[1].Body) == 0 || string(reqs[0].Body) != string(reqs[1].Body) {
		t.Errorf("retry body differs: %q vs %q", reqs[0].Body, reqs[1].Body)
	}
}

func TestServerErrorsRetriedWithSameRequestIDThenSurface(t *testing.T) {
	srv := newFakeServer(t, reply{status: 503, body: `{"code":"500","description":"busy"}`})
	c := newTestClient(t, srv.URL, func(o *Options) { o.MaxRetries = 2 })
	_, err := c.CreateCustomer(context.Background(), "intent-9", wire.CustomerCreateRequest{})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 503 || e.RequestID != "intent-9" || e.Operation != wire.OpCreateCustomer {
		t.Fatalf("err = %v", err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("tries = %d, want 3", len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get(wire.HeaderRequestID) != "intent-9" {
			t.Errorf("MS-RequestId changed across retries: %q", r.Header.Get(wire.HeaderRequestID))
		}
	}
}

func TestPersistent429BecomesThrottledError(t *testing.T) {
	srv := newFakeServer(t, throttleReply("0"))
	c := newTestClient(t, srv.URL, func(o *Options) { o.MaxRetries = 1 })
	_, err := c.GetCustomer(context.Background(), "cust-1")
	d, ok := IsThrottled(err)
	if !ok || d < minThrottleDelay {
		t.Fatalf("IsThrottled = %v %v (err %v)", d, ok, err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("tries = %d, want 2", n)
	}
}

func TestClientSideRateLimiter(t *testing.T) {
	srv := newFakeServer(t, reply{status: 200, body: `{}`})
	c := newTestClient(t, srv.URL, func(o *Options) { o.RequestsPerSecond = 20; o.Burst = 1 })
	start := time.Now()
	for range 5 {
		if _, err := c.GetCustomer(context.Background(), "cust-1"); err != nil {
			t.Fatal(err)
		}
	}
	// burst 1 at 20/s: the 4 calls after the first each wait 50ms.
	if elapsed := time.Since(start); elapsed < 190*time.Millisecond {
		t.Errorf("5 calls took %v, limiter not honoured", elapsed)
	}
	// The limiter bounds the span from first to last arrival from below
	// (4 × 50ms); single gaps may be shorter when one request is delayed in
	// transit, so only the span is checked (a lower bound: never flaky on a slow machine).
	reqs := srv.requests()
	if span := reqs[len(reqs)-1].At.Sub(reqs[0].At); span < 150*time.Millisecond {
		t.Errorf("5 requests arrived within %v: the limiter was not honoured", span)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetCustomer(ctx, "cust-1"); err == nil {
		t.Error("cancelled context did not stop the limiter wait")
	}
}

func TestCredentialSelection(t *testing.T) {
	srv := newFakeServer(t, reply{status: 200, body: `{}`})
	ctx := context.Background()
	both := newTestClient(t, srv.URL)
	appOnly := newTestClient(t, srv.URL, func(o *Options) { o.AppUser = nil })
	userOnly := newTestClient(t, srv.URL, func(o *Options) { o.AppOnly = nil })
	tests := []struct {
		name      string
		c         *Client
		call      func(c *Client) error
		wantToken string
	}{
		{"get customer prefers app-only", both, func(c *Client) error { _, err := c.GetCustomer(ctx, "x"); return err }, testAppOnlyToken},
		{"get customer falls back to App+User", userOnly, func(c *Client) error { _, err := c.GetCustomer(ctx, "x"); return err }, testAppUserToken},
		{"agreements need App+User", both, func(c *Client) error { _, err := c.ListAgreements(ctx, "x"); return err }, testAppUserToken},
		{"direct customer create is app-only", both, func(c *Client) error {
			_, err := c.CreateCustomer(ctx, "r", wire.CustomerCreateRequest{})
			return err
		}, testAppOnlyToken},
		{"indirect customer create needs App+User", both, func(c *Client) error {
			_, err := c.CreateCustomer(ctx, "r", wire.CustomerCreateRequest{AssociatedPartnerID: "reseller-tenant"})
			return err
		}, testAppUserToken},
		{"customers of a reseller need App+User", both, func(c *Client) error {
			_, err := c.ListCustomers(ctx, ListCustomersOptions{Filter: IndirectResellerFilter("reseller-tenant")})
			return err
		}, testAppUserToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(tt.c); err != nil {
				t.Fatal(err)
			}
			if got := srv.last(t).Header.Get("Authorization"); got != "Bearer "+tt.wantToken {
				t.Errorf("Authorization = %q, want the %s", got, tt.wantToken)
			}
		})
	}
	before := len(srv.requests())
	for op, call := range map[string]func() error{
		wire.OpGetAccountValidationStatus: func() error { _, err := appOnly.GetAccountValidationStatus(ctx, "x"); return err },
		wire.OpCreateAgreement:            func() error { _, err := appOnly.CreateAgreement(ctx, "r", "x", wire.Agreement{}); return err },
		wire.OpUpdateSupportContact: func() error {
			_, err := appOnly.UpdateSupportContact(ctx, "r", "x", "s", wire.SupportContact{})
			return err
		},
		wire.OpListIndirectResellers: func() error { _, err := appOnly.ListIndirectResellers(ctx); return err },
	} {
		if err := call(); !IsCredentialRequired(err) {
			t.Errorf("%s with app-only credential: err = %v, want CredentialRequiredError", op, err)
		}
		if !wire.RequiresAppUser(op) {
			t.Errorf("RequiresAppUser(%s) = false", op)
		}
	}
	if after := len(srv.requests()); after != before {
		t.Errorf("App+User-only calls reached the server without an App+User credential")
	}
}

// TestOperationRequests checks each operation's method, path, query and special headers.
func TestOperationRequests(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		reply  reply
		call   func(c *Client) error
		method string
		path   string
		query  map[string]string
		check  func(t *testing.T, r seenRequest)
	}{
		{"domain taken", reply{status: 200}, func(c *Client) error {
			free, err := c.CheckDomainAvailable(ctx, "contoso.onmicrosoft.com")
			if err == nil && free {
				return errors.New("200 must mean taken")
			}
			return err
		}, http.MethodHead, "/v1/domains/contoso.onmicrosoft.com", nil, nil},
		{"domain free", reply{status: 404}, func(c *Client) error {
			free, err := c.CheckDomainAvailable(ctx, "free.onmicrosoft.com")
			if err == nil && !free {
				return errors.New("404 must mean free")
			}
			return err
		}, http.MethodHead, "/v1/domains/free.onmicrosoft.com", nil, nil},
		{"account status absent", reply{status: 404, body: string(readFixture(t, "error_new_shape.json"))}, func(c *Client) error {
			st, err := c.GetAccountValidationStatus(ctx, "cust-1")
			if err == nil && st != nil {
				return errors.New("600074 must yield nil status")
			}
			return err
		}, http.MethodGet, "/v1/customers/cust-1/validationStatus", map[string]string{"type": "account"}, nil},
		{"account status unknown customer", reply{status: 404, body: `{"code":"600010","description":"customer not found"}`}, func(c *Client) error {
			if _, err := c.GetAccountValidationStatus(ctx, "cust-1"); !IsNotFound(err) {
				return errors.New("a 404 that is not 600074 must be an error")
			}
			return nil
		}, http.MethodGet, "/v1/customers/cust-1/validationStatus", nil, nil},
		{"account status", reply{status: 200, body: string(readFixture(t, "validation_status.json"))}, func(c *Client) error {
			st, err := c.GetAccountValidationStatus(ctx, "cust-1")
			if err == nil && st.Status != wire.AccountStatusAllowed {
				return errors.New("status not decoded")
			}
			return err
		}, http.MethodGet, "/v1/customers/cust-1/validationStatus", nil, nil},
		{"agreement metadata always asks for MCA", reply{status: 200, body: string(readFixture(t, "agreement_metadata.json"))}, func(c *Client) error {
			items, err := c.GetAgreementMetadata(ctx)
			if err == nil && items[0].TemplateID != wire.MCATemplateID {
				return errors.New("metadata not decoded")
			}
			return err
		}, http.MethodGet, "/v1/agreements", map[string]string{"agreementType": wire.AgreementTypeMCA}, nil},
		{"list agreements always asks for MCA", reply{status: 200, body: string(readFixture(t, "agreements_list.json"))}, func(c *Client) error {
			_, err := c.ListAgreements(ctx, "cust-1")
			return err
		}, http.MethodGet, "/v1/customers/cust-1/agreements", map[string]string{"agreementType": wire.AgreementTypeMCA}, nil},
		{"direct signed", reply{status: 200, body: `{"isSigned":false}`}, func(c *Client) error {
			_, err := c.GetDirectSignedStatus(ctx, "cust-1")
			return err
		}, http.MethodGet, "/v1/customers/cust-1/directSignedMicrosoftCustomerAgreementStatus", nil, nil},
		{"qualifications array", reply{status: 200, body: string(readFixture(t, "qualifications_get.json"))}, func(c *Client) error {
			q, err := c.ListQualifications(ctx, "cust-1")
			if err == nil && len(q) != 2 {
				return errors.New("array not decoded")
			}
			return err
		}, http.MethodGet, "/v1/customers/cust-1/qualifications", nil, nil},
		{"relationship request", reply{status: 200, body: string(readFixture(t, "relationship_request.json"))}, func(c *Client) error {
			_, err := c.GetRelationshipRequestURL(ctx)
			return err
		}, http.MethodGet, "/v1/customers/relationshiprequests", nil, nil},
		{"indirect resellers", reply{status: 200, body: string(readFixture(t, "relationships.json"))}, func(c *Client) error {
			r, err := c.ListIndirectResellers(ctx)
			if err == nil && len(r) != 1 {
				return errors.New("relationships not decoded")
			}
			return err
		}, http.MethodGet, "/v1/relationships", map[string]string{"relationship_type": wire.RelationshipQueryIndirectCSPOf}, nil},
		{"reseller MPA by MPN", reply{status: 200, body: `{"isAgreementSigned":true}`}, func(c *Client) error {
			_, err := c.GetResellerAgreementStatus(ctx, "4847383")
			return err
		}, http.MethodGet, "/v1/compliance/csp/agreementstatus", map[string]string{"mpnId": "4847383"}, nil},
		{"customers of a reseller", reply{status: 200, body: string(readFixture(t, "customers_list.json"))}, func(c *Client) error {
			_, err := c.ListCustomers(ctx, ListCustomersOptions{Filter: IndirectResellerFilter("tenant-1")})
			return err
		}, http.MethodGet, "/v1/customers", map[string]string{"size": "0", "filter": `{"Field":"IndirectReseller","Value":"tenant-1","Operator":"starts_with"}`}, nil},
		{"customers next page", reply{status: 200, body: string(readFixture(t, "customers_list.json"))}, func(c *Client) error {
			_, err := c.ListCustomers(ctx, ListCustomersOptions{Size: 50, ContinuationToken: "tok"})
			return err
		}, http.MethodGet, "/v1/customers", map[string]string{"size": "50", "seekOperation": "Next"}, func(t *testing.T, r seenRequest) {
			if r.Header.Get(wire.HeaderContinuationToken) != "tok" {
				t.Error("MS-ContinuationToken not sent")
			}
		}},
		{"delete customer", reply{status: 204}, func(c *Client) error { return c.DeleteCustomer(ctx, "rid-del", "cust-1") },
			http.MethodDelete, "/v1/customers/cust-1", nil, nil},
		{"billing profile PUT sends If-Match and body etag", reply{status: 200, body: `{}`}, func(c *Client) error {
			_, err := c.UpdateBillingProfile(ctx, "rid-bp", "cust-1", wire.BillingProfile{Email: "a@b.c", Attributes: wire.Attributes{Etag: "-42"}})
			return err
		}, http.MethodPut, "/v1/customers/cust-1/profiles/billing", nil, func(t *testing.T, r seenRequest) {
			if r.Header.Get(wire.HeaderIfMatch) != `"-42"` || !strings.Contains(string(r.Body), `"etag":"-42"`) {
				t.Errorf("If-Match %q body %s", r.Header.Get(wire.HeaderIfMatch), r.Body)
			}
			if r.Header.Get(wire.HeaderRequestID) != "rid-bp" {
				t.Errorf("mutation did not carry the caller's MS-RequestId")
			}
		}},
		{"subscription PATCH 202", reply{status: 202, header: map[string]string{"Location": "/v1/customers/cust-1/subscriptions/sub-1"}}, func(c *Client) error {
			res, err := c.UpdateSubscription(ctx, "rid-sub", "cust-1", wire.Subscription{ID: "sub-1", Quantity: 3, Attributes: wire.Attributes{Etag: "abc="}})
			if err == nil && (!res.Accepted || res.Location == "" || res.Subscription != nil) {
				return errors.New("202 not reported")
			}
			return err
		}, http.MethodPatch, "/v1/customers/cust-1/subscriptions/sub-1", nil, func(t *testing.T, r seenRequest) {
			if r.Header.Get(wire.HeaderIfMatch) != `"abc="` {
				t.Errorf("If-Match = %q", r.Header.Get(wire.HeaderIfMatch))
			}
		}},
		{"subscription PATCH 200", reply{status: 200, body: string(readFixture(t, "subscription.json"))}, func(c *Client) error {
			res, err := c.UpdateSubscription(ctx, "rid-sub", "cust-1", wire.Subscription{ID: "sub-1", Attributes: wire.Attributes{Etag: "abc="}})
			if err == nil && (res.Accepted || res.Subscription.Status != wire.SubscriptionStatusActive) {
				return errors.New("200 not decoded")
			}
			return err
		}, http.MethodPatch, "/v1/customers/cust-1/subscriptions/sub-1", nil, nil},
		{"get order", reply{status: 200, body: string(readFixture(t, "order_response.json"))}, func(c *Client) error {
			_, err := c.GetOrder(ctx, "cust-1", "5cf72f146967")
			return err
		}, http.MethodGet, "/v1/customers/cust-1/orders/5cf72f146967", nil, nil},
		{"subscriptions by order", reply{status: 200, body: `{"totalCount":0,"items":[]}`}, func(c *Client) error {
			_, err := c.ListSubscriptionsByOrder(ctx, "cust-1", "5cf72f146967")
			return err
		}, http.MethodGet, "/v1/customers/cust-1/subscriptions", map[string]string{"order_id": "5cf72f146967"}, nil},
		{"get subscription", reply{status: 200, body: string(readFixture(t, "subscription.json"))}, func(c *Client) error {
			_, err := c.GetSubscription(ctx, "cust-1", "sub-1")
			return err
		}, http.MethodGet, "/v1/customers/cust-1/subscriptions/sub-1", nil, nil},
		{"cost management policy on ARM", reply{status: 200, body: `{"properties":{"viewCharges":"Allowed"}}`}, func(c *Client) error {
			_, err := c.SetCostManagementPolicy(ctx, "rid-arm", "acct", "cust-1", wire.ViewChargesAllowed)
			return err
		}, http.MethodPut, "/providers/Microsoft.Billing/billingAccounts/acct/customers/cust-1/policies/default",
			map[string]string{"api-version": "2020-05-01"}, func(t *testing.T, r seenRequest) {
				if r.Header.Get("Authorization") != "Bearer arm-token-value" {
					t.Error("ARM call not made with the ARM credential")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, tt.reply)
			c := newTestClient(t, srv.URL)
			if err := tt.call(c); err != nil {
				t.Fatalf("call: %v", err)
			}
			r := srv.last(t)
			if r.Method != tt.method || r.Path != tt.path {
				t.Errorf("sent %s %s, want %s %s", r.Method, r.Path, tt.method, tt.path)
			}
			for k, v := range tt.query {
				if got := r.Query[k]; len(got) != 1 || got[0] != v {
					t.Errorf("query %s = %v, want %q", k, got, v)
				}
			}
			if _, err := uuid.Parse(r.Header.Get(wire.HeaderCorrelationID)); err != nil {
				t.Errorf("MS-CorrelationId %q is not a GUID", r.Header.Get(wire.HeaderCorrelationID))
			}
			if r.Header.Get(wire.HeaderRequestID) == "" {
				t.Error("no MS-RequestId")
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestReadsGenerateIDsAndCorrelationIsPerCall(t *testing.T) {
	srv := newFakeServer(t, reply{status: 200, body: `{}`})
	c := newTestClient(t, srv.URL)
	for range 2 {
		if _, err := c.GetCustomer(context.Background(), "cust-1"); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.requests()
	if reqs[0].Header.Get(wire.HeaderRequestID) == reqs[1].Header.Get(wire.HeaderRequestID) {
		t.Error("two reads shared an MS-RequestId")
	}
	if reqs[0].Header.Get(wire.HeaderCorrelationID) == reqs[1].Header.Get(wire.HeaderCorrelationID) {
		t.Error("two calls shared an MS-CorrelationId")
	}
}

func TestUpdatesRequireETag(t *testing.T) {
	srv := newFakeServer(t, reply{status: 200, body: `{}`})
	c := newTestClient(t, srv.URL)
	if _, err := c.UpdateBillingProfile(context.Background(), "r", "c", wire.BillingProfile{}); !errors.Is(err, ErrETagRequired) {
		t.Errorf("billing profile without etag: %v", err)
	}
	if _, err := c.UpdateSubscription(context.Background(), "r", "c", wire.Subscription{ID: "s"}); !errors.Is(err, ErrETagRequired) {
		t.Errorf("subscription without etag: %v", err)
	}
	if len(srv.requests()) != 0 {
		t.Error("update without etag reached the server")
	}
}

func TestMetricsAndLogsCarryNoSecrets(t *testing.T) {
	// A 1 s Retry-After, longer than the client waits inline: the throttle
	// gate holds the third call for that second only.
	srv := newFakeServer(t, reply{status: 200, body: `{}`}, throttleReply("1"), reply{status: 401, body: `{"code":"401","description":"unauthorized"}`})
	reg := prometheus.NewRegistry()
	var logs strings.Builder
	logger := funcr.New(func(prefix, args string) { logs.WriteString(args + "\n") }, funcr.Options{Verbosity: 1})
	c := newTestClient(t, srv.URL, func(o *Options) {
		o.Registerer, o.Logger, o.MaxInlineRetryAfter = reg, logger, time.Millisecond
	})
	ctx := context.Background()
	var errs []error
	for range 3 {
		_, err := c.GetCustomer(ctx, "cust-1")
		errs = append(errs, err)
	}
	if got := testutil.ToFloat64(c.metrics.requests.WithLabelValues(wire.OpGetCustomer, "200")); got != 1 {
		t.Errorf("requests{200} = %v", got)
	}
	if got := testutil.ToFloat64(c.metrics.requests.WithLabelValues(wire.OpGetCustomer, "429")); got != 1 {
		t.Errorf("requests{429} = %v", got)
	}
	if got := testutil.ToFloat64(c.metrics.throttles.WithLabelValues(wire.OpGetCustomer)); got != 1 {
		t.Errorf("throttled = %v", got)
	}
	if n := testutil.CollectAndCount(c.metrics.duration); n != 1 {
		t.Errorf("duration series = %d", n)
	}
	// A second client for another partner account shares the collectors.
	other := newTestClient(t, srv.URL, func(o *Options) { o.Registerer = reg })
	if other.metrics.requests != c.metrics.requests {
		t.Error("second client did not reuse the registered collectors")
	}
	text := logs.String()
	for _, e := range errs[1:] {
		text += e.Error()
	}
	if !strings.Contains(logs.String(), wire.OpGetCustomer) {
		t.Fatalf("no call logged: %q", logs.String())
	}
	for _, secret := range []string{testAppOnlyToken, testAppUserToken} {
		if strings.Contains(text, secret) {
			t.Errorf("token leaked into logs or errors: %s", text)
		}
	}
}

func TestNewRejectsBadURLAndRefusesPlainHTTPToRemoteHosts(t *testing.T) {
	if _, err := New(Options{BaseURL: "::bad"}); err == nil {
		t.Error("bad base URL accepted")
	}
	c, err := New(Options{BaseURL: "http://pcsim.example.invalid", AppOnly: StaticTokenCredential(testAppOnlyToken), MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCustomer(context.Background(), "x")
	if err == nil || !strings.Contains(err.Error(), "TLS") || strings.Contains(err.Error(), testAppOnlyToken) {
		t.Errorf("bearer token sent over plain HTTP to a remote host: %v", err)
	}
}

func TestCustomerCreateRequestGDAPFlag(t *testing.T) {
	on, off := true, false
	tests := []struct {
		flag        *bool
		wantPresent bool
		wantValue   bool
	}{{nil, false, false}, {&off, true, false}, {&on, true, true}}
	for _, tt := range tests {
		raw, err := json.Marshal(wire.CustomerCreateRequest{EnableGDAPByDefault: tt.flag})
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		v, present := m["enableGDAPByDefault"]
		if present != tt.wantPresent || (present && v != tt.wantValue) {
			t.Errorf("flag %v encoded as %s", tt.flag, raw)
		}
	}
}

func TestSDKLoggingRedactsAuthorizationAndLogsNoBodies(t *testing.T) {
	var mu sync.Mutex
	var logs strings.Builder
	EnableSDKLogging(funcr.New(func(_, args string) {
		mu.Lock()
		defer mu.Unlock()
		logs.WriteString(args + "\n")
	}, funcr.Options{Verbosity: 2}))
	t.Cleanup(func() { azlog.SetListener(nil) })
	const password = "Temp-Pa55word-from-create"
	srv := newFakeServer(t, throttleReply("0"), reply{status: 200, body: `{"id":"c1","userCredentials":{"userName":"admin","password":"` + password + `"}}`})
	c := newTestClient(t, srv.URL)
	created, err := c.CreateCustomer(context.Background(), "intent-log", wire.CustomerCreateRequest{})
	if err != nil || created.UserCredentials == nil || created.UserCredentials.Password != password {
		t.Fatalf("CreateCustomer = %+v, %v", created, err)
	}
	mu.Lock()
	text := logs.String()
	mu.Unlock()
	if !strings.Contains(text, "intent-log") || !strings.Contains(text, "Authorization") {
		t.Fatalf("SDK log lacks the request: %s", text)
	}
	if strings.Contains(text, testAppOnlyToken) {
		t.Errorf("SDK log leaks the bearer token: %s", text)
	}
	if strings.Contains(text, password) {
		t.Errorf("SDK log leaks the temporary password from the response body: %s", text)
	}
}

func TestListAllCustomersFollowsContinuationTokens(t *testing.T) {
	srv := newFakeServer(t,
		reply{status: 200, body: `{"totalCount":1,"items":[{"id":"a"}],"continuationToken":"t1"}`},
		reply{status: 200, body: `{"totalCount":1,"items":[{"id":"b"}],"continuationToken":"t2"}`},
		reply{status: 200, body: `{"totalCount":1,"items":[{"id":"c"}]}`},
	)
	c := newTestClient(t, srv.URL)
	all, err := c.ListAllCustomers(context.Background(), 1, nil)
	if err != nil || len(all) != 3 || all[2].ID != "c" {
		t.Fatalf("ListAllCustomers = %+v, %v", all, err)
	}
	reqs := srv.requests()
	if reqs[0].Header.Get(wire.HeaderContinuationToken) != "" || reqs[2].Header.Get(wire.HeaderContinuationToken) != "t2" {
		t.Errorf("continuation headers: %q %q", reqs[0].Header.Get(wire.HeaderContinuationToken), reqs[2].Header.Get(wire.HeaderContinuationToken))
	}
}
