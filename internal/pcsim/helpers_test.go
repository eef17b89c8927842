package pcsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

var epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// harness drives the simulator's handler in-process with real HTTP requests.
type harness struct {
	t       testing.TB
	sim     *Simulator
	h       http.Handler
	clock   *SimClock
	appUser string
	appOnly string
}

func newHarness(t testing.TB, cfg Config) *harness {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = NewSimClock(epoch)
	}
	sim := New(cfg)
	return &harness{t: t, sim: sim, h: sim.Handler(), clock: cfg.Clock,
		appUser: sim.IssueToken(TokenAppUser), appOnly: sim.IssueToken(TokenAppOnly)}
}

// do sends one request with token (may be empty) and optional header pairs.
func (h *harness) do(token, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			h.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, &buf)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

// expect asserts the status and, when code is not empty, the error code of the body.
func (h *harness) expect(rec *httptest.ResponseRecorder, status int, code string) {
	h.t.Helper()
	if rec.Code != status {
		h.t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body.String())
	}
	if code != "" {
		if got := partnercenter.DecodeError(rec.Code, rec.Body.Bytes()).Code; got != code {
			h.t.Fatalf("code = %q, want %q; body %s", got, code, rec.Body.String())
		}
	}
}

// decodeInto decodes the response body into v.
func (h *harness) decodeInto(rec *httptest.ResponseRecorder, v any) {
	h.t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		h.t.Fatalf("decoding %s: %v", rec.Body.String(), err)
	}
}

// customerRequest is a valid create-customer body for domain in country.
func customerRequest(domain, country string) pc.CustomerCreateRequest {
	return pc.CustomerCreateRequest{
		CompanyProfile: pc.CompanyProfile{Domain: domain, OrganizationRegistrationNumber: "PL-1234567"},
		BillingProfile: pc.BillingProfile{
			Email: "it@" + domain, Culture: "en-US", Language: "en", CompanyName: "Contoso " + domain,
			DefaultAddress: &pc.Address{Country: country, City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way",
				PostalCode: "98052", FirstName: "Ada", LastName: "Lovelace", PhoneNumber: "4255550100"},
		},
	}
}

// createCustomer creates a customer and returns it.
func (h *harness) createCustomer(domain string) pc.Customer {
	h.t.Helper()
	rec := h.do(h.appOnly, http.MethodPost, "/v1/customers", customerRequest(domain, "US"))
	h.expect(rec, http.StatusCreated, "")
	var c pc.Customer
	h.decodeInto(rec, &c)
	return c
}

// attest posts an MCA attestation with the given contact e-mail.
func (h *harness) attest(customerID, email string) *httptest.ResponseRecorder {
	h.t.Helper()
	return h.do(h.appUser, http.MethodPost, "/v1/customers/"+customerID+"/agreements", pc.Agreement{
		PrimaryContact: pc.Contact{FirstName: "Tania", LastName: "Carr", Email: email},
		TemplateID:     pc.MCATemplateID, DateAgreed: pc.FormatTime(h.clock.Now().Add(-time.Hour)), Type: pc.AgreementTypeMCA,
	})
}

// order places a one-line order and returns the recorder.
func (h *harness) order(customerID, offer, partnerID string) *httptest.ResponseRecorder {
	h.t.Helper()
	return h.do(h.appOnly, http.MethodPost, "/v1/customers/"+customerID+"/orders", pc.Order{
		BillingCycle: pc.BillingCycleMonthly,
		LineItems:    []pc.OrderLineItem{{LineItemNumber: 0, OfferID: offer, Quantity: 5, TermDuration: pc.TermP1Y, PartnerIDOnRecord: partnerID}},
	})
}

// validationStatus reads the account validation status ("" for a 404).
func (h *harness) validationStatus(customerID string) string {
	h.t.Helper()
	rec := h.do(h.appUser, http.MethodGet, "/v1/customers/"+customerID+"/validationStatus?type=account", nil)
	if rec.Code == http.StatusNotFound {
		return ""
	}
	var v pc.ValidationStatus
	h.decodeInto(rec, &v)
	return v.Status
}
