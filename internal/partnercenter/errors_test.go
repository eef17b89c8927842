package partnercenter

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		wantCode  string
		wantName  string
		wantDesc  string
		retryable bool
	}{
		{"new shape, numeric code", 404, string(readFixture(t, "error_new_shape.json")), "600074", wire.ErrorNameAccountStatusNotFound, "Account Status for the customer, b0f6e0a2-8f1c-4a3e-9b0a-6a7a3a1f2c11 was not found.", false},
		{"legacy shape, string code", 400, string(readFixture(t, "error_legacy_shape.json")), "2055", "", "Etag is no longer valid", false},
		{"429 body", 429, string(readFixture(t, "error_throttle.json")), "", "", "Rate limit is exceeded. Try again in 57 seconds.", false},
		{"message only", 400, `{"code":600061,"message":"A partner confirmed agreement already exists for the customer.","errorName":"PartnerConfirmedAgreementAlreadyExists","isRetryable":false}`, "600061", wire.ErrorNamePartnerConfirmedAgreementAlreadyExists, "A partner confirmed agreement already exists for the customer.", false},
		{"retryable", 500, `{"code":"800005","description":"Create order is not successful","isRetryable":true}`, "800005", "", "Create order is not successful", true},
		{"ARM shape", 403, `{"error":{"code":"AuthorizationFailed","message":"no access"}}`, "AuthorizationFailed", "", "no access", false},
		{"float code", 400, `{"code":1e3}`, "1000", "", "", false},
		{"null code", 400, `{"code":null,"description":"x"}`, "", "", "x", false},
		{"empty body", 503, ``, "", "", "", false},
		{"html body", 502, `<html>bad gateway</html>`, "", "", "", false},
		{"object code", 400, `{"code":{"a":1}}`, "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := DecodeError(tt.status, []byte(tt.body))
			if e.StatusCode != tt.status || e.Code != tt.wantCode || e.ErrorName != tt.wantName || e.Description != tt.wantDesc || e.Retryable != tt.retryable {
				t.Errorf("DecodeError = %+v", e)
			}
		})
	}
}

// TestErrorBodiesRoundTrip checks the bodies the simulator writes decode to the same codes.
func TestErrorBodiesRoundTrip(t *testing.T) {
	bodies := []struct {
		body any
		want string
	}{
		{wire.ErrorBody{Code: 800073, Description: "under review"}, wire.CodeCustomerUnderReview},
		{wire.ErrorBody{Code: "2055", Description: "Etag is no longer valid"}, wire.CodeSubscriptionETagStale},
		{wire.LegacyErrorBody{Code: "13605", Description: "MCA missing"}, wire.CodeAgreementMissing},
		{wire.ThrottleBody{StatusCode: 429, Message: wire.ThrottleMessage(3)}, ""},
	}
	for _, b := range bodies {
		raw, err := json.Marshal(b.body)
		if err != nil {
			t.Fatal(err)
		}
		if got := DecodeError(400, raw).Code; got != b.want {
			t.Errorf("%s decoded code %q, want %q", raw, got, b.want)
		}
	}
}

func TestErrorPredicates(t *testing.T) {
	apiErr := func(status int, code string) error {
		return fmt.Errorf("wrapped: %w", &Error{StatusCode: status, Code: code, Operation: wire.OpCreateOrder})
	}
	tests := []struct {
		name string
		pred func(error) bool
		yes  []error
		no   []error
	}{
		{"IsNotFound", IsNotFound, []error{apiErr(404, wire.CodeSubscriptionNotFound)}, []error{apiErr(400, ""), fmt.Errorf("plain")}},
		{"IsCustomerNotApproved", IsCustomerNotApproved, []error{apiErr(403, "800073"), apiErr(403, "800074"), apiErr(403, "800075")}, []error{apiErr(403, "13605")}},
		{"IsAgreementMissing", IsAgreementMissing, []error{apiErr(403, "13605")}, []error{apiErr(403, "800073")}},
		{"IsDuplicateAgreement", IsDuplicateAgreement, []error{apiErr(400, "600061")}, []error{apiErr(400, "600049")}},
		{"IsOrderInProgress", IsOrderInProgress, []error{apiErr(409, "800060")}, []error{apiErr(409, "800064")}},
		{"IsConflict", IsConflict, []error{apiErr(409, "")}, []error{apiErr(412, "")}},
		{"IsPreconditionFailed", IsPreconditionFailed, []error{apiErr(412, "")}, []error{apiErr(409, "")}},
		{"IsETagStale", IsETagStale, []error{apiErr(400, "2055"), apiErr(412, "")}, []error{apiErr(400, "2054")}},
		{"IsCredentialRequired", IsCredentialRequired, []error{fmt.Errorf("x: %w", &CredentialRequiredError{Operation: wire.OpCreateAgreement, Kind: "App+User"})}, []error{apiErr(401, "")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, e := range tt.yes {
				if !tt.pred(e) {
					t.Errorf("%s(%v) = false", tt.name, e)
				}
			}
			for _, e := range tt.no {
				if tt.pred(e) {
					t.Errorf("%s(%v) = true", tt.name, e)
				}
			}
		})
	}
	if ErrorCode(apiErr(403, "13605")) != "13605" || ErrorCode(fmt.Errorf("plain")) != "" {
		t.Error("ErrorCode")
	}
	d, ok := IsThrottled(fmt.Errorf("w: %w", &ThrottledError{RetryAfter: 57 * time.Second}))
	if !ok || d != 57*time.Second {
		t.Errorf("IsThrottled = %v %v", d, ok)
	}
	if _, ok := IsThrottled(apiErr(429, "")); ok {
		t.Error("IsThrottled true for a plain *Error")
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"57", 57 * time.Second},
		{"3", 3 * time.Second},
		{"0", 0},
		{" 0 ", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"", defaultThrottleDelay},
		{"soon", defaultThrottleDelay},
		{"-3", defaultThrottleDelay},
		// A date already past is no hold at all, not a negative one.
		{now.Add(-time.Minute).Format(http.TimeFormat), defaultThrottleDelay},
	}
	for _, tt := range tests {
		h := http.Header{}
		h.Set(wire.HeaderRetryAfter, tt.value)
		if got := retryAfter(h, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.value, got, tt.want)
		}
	}
}

// FuzzDecodeError feeds arbitrary bodies to the error decoder: it must never panic and always
// keep the HTTP status.
func FuzzDecodeError(f *testing.F) {
	for _, name := range []string{"error_new_shape.json", "error_legacy_shape.json", "error_throttle.json"} {
		f.Add(400, readFixture(f, name))
	}
	f.Add(500, []byte(`{"code":1e400}`))
	f.Add(404, []byte(`{"error":null,"code":[1]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := DecodeError(status, body)
		if e == nil || e.StatusCode != status {
			t.Fatalf("DecodeError(%d) = %+v", status, e)
		}
		if msg := e.Error(); !strings.Contains(msg, fmt.Sprint(status)) {
			t.Fatalf("Error() %q lacks the status", msg)
		}
	})
}

// FuzzDecodeResponse feeds arbitrary bodies to every success-response model: decoding may fail
// but must not panic.
func FuzzDecodeResponse(f *testing.F) {
	for _, name := range []string{"customer_create_response.json", "order_response.json", "subscription.json", "qualifications_get.json", "relationships.json"} {
		f.Add(readFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{&wire.Customer{}, &wire.Collection[wire.Customer]{}, &wire.BillingProfile{}, &wire.AddressValidationResponse{}, &wire.ValidationStatus{},
			&[]wire.Qualification{}, &wire.Collection[wire.AgreementMetadata]{}, &wire.Agreement{}, &wire.Collection[wire.PartnerRelationship]{}, &wire.Order{}, &wire.Subscription{}}
		for _, v := range targets {
			_ = json.Unmarshal(body, v)
		}
	})
}
