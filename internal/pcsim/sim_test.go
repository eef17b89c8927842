package pcsim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

func TestAuthentication(t *testing.T) {
	h := newHarness(t, Config{})
	arm := h.sim.IssueToken(TokenARM)
	indirect := customerRequest("indirect.onmicrosoft.com", "US")
	indirect.AssociatedPartnerID = "484e548c-f5f3-4528-93a9-c16c6373cb59"
	resellerFilter := url.QueryEscape(`{"Field":"IndirectReseller","Value":"x","Operator":"starts_with"}`)
	policyPath := "/providers/Microsoft.Billing/billingAccounts/acct/customers/c1/policies/default?api-version=2020-05-01"
	for _, tc := range []struct {
		name, token, method, path string
		body                      any
		want                      int
	}{
		{"missing token", "", http.MethodGet, "/v1/customers", nil, http.StatusUnauthorized},
		{"garbage token", "not-a-jwt", http.MethodGet, "/v1/customers", nil, http.StatusUnauthorized},
		{"ARM token on Partner Center", arm, http.MethodGet, "/v1/customers", nil, http.StatusUnauthorized},
		{"Partner Center token on ARM", h.appUser, http.MethodPut, policyPath, nil, http.StatusUnauthorized},
		{"app-only on agreements", h.appOnly, http.MethodGet, "/v1/agreements?agreementType=MicrosoftCustomerAgreement", nil, http.StatusForbidden},
		{"app-only on validation status", h.appOnly, http.MethodGet, "/v1/customers/x/validationStatus?type=account", nil, http.StatusForbidden},
		{"app-only create for reseller", h.appOnly, http.MethodPost, "/v1/customers", indirect, http.StatusForbidden},
		{"app-only reseller filter", h.appOnly, http.MethodGet, "/v1/customers?size=0&filter=" + resellerFilter, nil, http.StatusForbidden},
		{"app-only list customers", h.appOnly, http.MethodGet, "/v1/customers", nil, http.StatusOK},
		{"app-user on agreements", h.appUser, http.MethodGet, "/v1/agreements?agreementType=MicrosoftCustomerAgreement", nil, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.do(tc.token, tc.method, tc.path, tc.body)
			if rec.Code != tc.want {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.want == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "OAuth realm=") {
				t.Fatalf("401 without WWW-Authenticate: %v", rec.Header())
			}
		})
	}
}

func TestCountryRegistrationRule(t *testing.T) {
	h := newHarness(t, Config{})
	for i, tc := range []struct {
		name, country, regNo, phone, code string
	}{
		{"PL without registration number", "PL", "", "48123456789", pc.CodeRegistrationIDMissing},
		{"IN with malformed registration number", "IN", "??", "91123456789", pc.CodeRegistrationIDInvalid},
		{"BR without phone", "BR", "12345678000190", "", pc.CodePhoneNumberMissing},
		{"ua lower-case country still applies", "ua", "", "380441234567", pc.CodeRegistrationIDMissing},
		{"PL complete", "PL", "5261040828", "48123456789", ""},
		{"US needs neither", "US", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := customerRequest("country"+string(rune('a'+i))+".onmicrosoft.com", tc.country)
			req.CompanyProfile.OrganizationRegistrationNumber = tc.regNo
			req.BillingProfile.DefaultAddress.PhoneNumber = tc.phone
			rec := h.do(h.appOnly, http.MethodPost, "/v1/customers", req)
			if tc.code == "" {
				h.expect(rec, http.StatusCreated, "")
				return
			}
			h.expect(rec, http.StatusBadRequest, tc.code)
		})
	}
}

func TestCreateCustomerResponseAndDomains(t *testing.T) {
	h := newHarness(t, Config{})
	h.expect(h.do(h.appOnly, http.MethodHead, "/v1/domains/contoso.onmicrosoft.com", nil), http.StatusNotFound, "")
	c := h.createCustomer("contoso.onmicrosoft.com")
	if c.ID == "" || c.ID != c.CompanyProfile.TenantID || c.UserCredentials == nil || c.UserCredentials.UserName != "admin" ||
		c.UserCredentials.Password == "" || c.BillingProfile.Attributes.Etag == "" || c.RelationshipToPartner != pc.RelationshipReseller {
		t.Fatalf("unexpected customer %+v", c)
	}
	got := h.do(h.appOnly, http.MethodGet, "/v1/customers/"+c.ID, nil)
	h.expect(got, http.StatusOK, "")
	if strings.Contains(got.Body.String(), "password") {
		t.Fatal("GET customer returned the admin password")
	}
	h.expect(h.do(h.appOnly, http.MethodHead, "/v1/domains/CONTOSO.onmicrosoft.com", nil), http.StatusOK, "")
	h.expect(h.do(h.appOnly, http.MethodPost, "/v1/customers", customerRequest("contoso.onmicrosoft.com", "US")), http.StatusBadRequest, pc.CodeInvalidInput)
	h.sim.TakeDomain("fabrikam.onmicrosoft.com")
	h.expect(h.do(h.appOnly, http.MethodHead, "/v1/domains/fabrikam.onmicrosoft.com", nil), http.StatusOK, "")
	noGDAP := false
	req := customerRequest("nogdap.onmicrosoft.com", "US")
	req.EnableGDAPByDefault = &noGDAP
	h.expect(h.do(h.appOnly, http.MethodPost, "/v1/customers", req), http.StatusCreated, "")
	records := h.sim.Customers()
	if len(records) != 2 || !records[0].DefaultGDAP || records[1].DefaultGDAP {
		t.Fatalf("GDAP choice not recorded: %+v", records)
	}
}

func TestAddressValidation(t *testing.T) {
	h := newHarness(t, Config{})
	base := pc.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"}
	for _, tc := range []struct {
		name        string
		edit        func(*pc.Address)
		status      string
		suggestions int
	}{
		{"good address", func(*pc.Address) {}, pc.AddressStatusVerifiedShippable, 1},
		{"unknown street", func(a *pc.Address) { a.AddressLine1 = "12 Unknown Road" }, pc.AddressStatusNone, 0},
		{"partial postal code", func(a *pc.Address) { a.PostalCode = "00000" }, pc.AddressStatusStreetPartial, 1},
		{"missing city", func(a *pc.Address) { a.City = "" }, pc.AddressStatusNone, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := base
			tc.edit(&a)
			rec := h.do(h.appOnly, http.MethodPost, "/v1/validations/address", a)
			h.expect(rec, http.StatusOK, "")
			var v pc.AddressValidationResponse
			h.decodeInto(rec, &v)
			if v.Status != tc.status || len(v.SuggestedAddresses) != tc.suggestions || v.OriginalAddress != a {
				t.Fatalf("got %+v", v)
			}
		})
	}
}

func TestVerificationLifecycle(t *testing.T) {
	h := newHarness(t, Config{VerificationDelay: 72 * time.Hour})
	c := h.createCustomer("verify.onmicrosoft.com")
	if s := h.validationStatus(c.ID); s != pc.AccountStatusUnderReview {
		t.Fatalf("new customer status %q", s)
	}
	h.clock.Advance(72 * time.Hour)
	if s := h.validationStatus(c.ID); s != pc.AccountStatusAllowed {
		t.Fatalf("after the delay status %q", s)
	}
	path := "/v1/customers/" + c.ID + "/profiles/billing"
	var bp pc.BillingProfile
	h.decodeInto(h.do(h.appOnly, http.MethodGet, path, nil), &bp)

	names := bp
	names.FirstName = "Grace"
	rec := h.do(h.appOnly, http.MethodPut, path, names, pc.HeaderIfMatch, `"`+bp.Attributes.Etag+`"`)
	h.expect(rec, http.StatusOK, "")
	if s := h.validationStatus(c.ID); s != pc.AccountStatusAllowed {
		t.Fatalf("a contact-name change re-triggered verification: %q", s)
	}
	h.expect(h.do(h.appOnly, http.MethodPut, path, names, pc.HeaderIfMatch, `"`+bp.Attributes.Etag+`"`), http.StatusPreconditionFailed, "")

	h.decodeInto(rec, &bp)
	bp.Email = "finance@verify.example"
	h.expect(h.do(h.appOnly, http.MethodPut, path, bp), http.StatusOK, "") // etag from the body only
	if s := h.validationStatus(c.ID); s != pc.AccountStatusUnderReview {
		t.Fatalf("an e-mail change did not re-trigger verification: %q", s)
	}
	if err := h.sim.RejectVerification(c.ID); err != nil {
		t.Fatal(err)
	}
	if s := h.validationStatus(c.ID); s != pc.AccountStatusNotAllowed {
		t.Fatalf("after reject %q", s)
	}
	if err := h.sim.ApproveVerification(c.ID); err != nil || h.validationStatus(c.ID) != pc.AccountStatusAllowed {
		t.Fatalf("approve: %v", err)
	}
}

func TestManualVerificationWaitsForApproval(t *testing.T) {
	h := newHarness(t, Config{ManualVerification: true})
	c := h.createCustomer("manual.onmicrosoft.com")
	h.clock.Advance(30 * 24 * time.Hour)
	if s := h.validationStatus(c.ID); s != pc.AccountStatusUnderReview {
		t.Fatalf("status %q", s)
	}
	if err := h.sim.ApproveVerification(c.ID); err != nil || h.validationStatus(c.ID) != pc.AccountStatusAllowed {
		t.Fatalf("approve: %v", err)
	}
}

func TestAgreements(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c := h.createCustomer("mca.onmicrosoft.com")
	var meta pc.Collection[pc.AgreementMetadata]
	h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/agreements", nil), &meta)
	if len(meta.Items) != 1 || meta.Items[0].AgreementType != pc.AgreementTypeCloud {
		t.Fatalf("metadata without agreementType should be the Cloud Agreement: %+v", meta)
	}
	h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/agreements?agreementType=MicrosoftCustomerAgreement", nil), &meta)
	if len(meta.Items) != 1 || meta.Items[0].TemplateID != pc.MCATemplateID {
		t.Fatalf("MCA metadata: %+v", meta)
	}

	rec := h.attest(c.ID, "tania@mca.example")
	h.expect(rec, http.StatusCreated, "")
	var a pc.Agreement
	h.decodeInto(rec, &a)
	if a.UserID != simUserOID || a.PrimaryContact.Email != "tania@mca.example" {
		t.Fatalf("echo: %+v", a)
	}
	dup := h.attest(c.ID, "tania@mca.example")
	h.expect(dup, http.StatusBadRequest, pc.CodeDuplicateAgreement)
	if e := partnercenter.DecodeError(dup.Code, dup.Body.Bytes()); e.ErrorName != pc.ErrorNamePartnerConfirmedAgreementAlreadyExists {
		t.Fatalf("errorName %q", e.ErrorName)
	}
	h.expect(h.attest(c.ID, "other@mca.example"), http.StatusCreated, "")
	future := pc.Agreement{PrimaryContact: pc.Contact{FirstName: "A", LastName: "B", Email: "f@mca.example"}, TemplateID: pc.MCATemplateID,
		DateAgreed: pc.FormatTime(h.clock.Now().Add(time.Hour)), Type: pc.AgreementTypeMCA}
	h.expect(h.do(h.appUser, http.MethodPost, "/v1/customers/"+c.ID+"/agreements", future), http.StatusBadRequest, pc.CodeInvalidInput)

	var list pc.Collection[pc.Agreement]
	h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/customers/"+c.ID+"/agreements", nil), &list)
	if len(list.Items) != 0 {
		t.Fatalf("the Cloud Agreement trap: a list without agreementType returned %d MCA items", len(list.Items))
	}
	h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/customers/"+c.ID+"/agreements?agreementType=MicrosoftCustomerAgreement", nil), &list)
	if len(list.Items) != 2 {
		t.Fatalf("MCA list has %d items", len(list.Items))
	}
}

func TestAttestationNoticeOutbox(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	attested := h.createCustomer("notice.onmicrosoft.com")
	signed := h.createCustomer("signed.onmicrosoft.com")
	if err := h.sim.CustomerSignsMCA(signed.ID); err != nil {
		t.Fatal(err)
	}
	h.expect(h.attest(attested.ID, "tania@notice.example"), http.StatusCreated, "")
	h.expect(h.attest(signed.ID, "tania@signed.example"), http.StatusCreated, "")
	if n := h.sim.Outbox(); len(n) != 0 {
		t.Fatalf("notice visible before 10 minutes: %+v", n)
	}
	h.clock.Advance(10 * time.Minute)
	n := h.sim.Outbox()
	if len(n) != 1 || n[0].CustomerID != attested.ID || n[0].To != "tania@notice.example" || !n[0].SentAt.Equal(epoch.Add(10*time.Minute)) {
		t.Fatalf("outbox %+v (no notice expected after direct acceptance)", n)
	}
}

func TestDirectSignDelay(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: time.Hour})
	c := h.createCustomer("direct.onmicrosoft.com")
	path := "/v1/customers/" + c.ID + "/directSignedMicrosoftCustomerAgreementStatus"
	var st pc.DirectSignedStatus
	h.decodeInto(h.do(h.appUser, http.MethodGet, path, nil), &st)
	if st.IsSigned {
		t.Fatal("signed before the delay")
	}
	h.clock.Advance(time.Hour)
	h.decodeInto(h.do(h.appUser, http.MethodGet, path, nil), &st)
	if !st.IsSigned {
		t.Fatal("not signed after the delay")
	}
}

func TestResellerAgreementStatus(t *testing.T) {
	h := newHarness(t, Config{PartnershipAcceptDelay: -1})
	for _, r := range []Reseller{{MPNID: "2200"}, {MPNID: "2203"}, {MPNID: "2204"}} {
		r.NotMigrated, r.MPAUnsigned, r.NotCSPReseller = r.MPNID == "2200", r.MPNID == "2203", r.MPNID == "2204"
		if err := h.sim.RegisterReseller(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ query, code string }{
		{"mpnId=2200", pc.CodeMPNInvalid},
		{"mpnId=2203", pc.CodeMPANotSigned},
		{"mpnId=2204", pc.CodeMPNNotIndirectReseller},
		{"mpnId=abc", pc.CodeInvalidInput},
		{"mpnId=1&tenantId=484e548c-f5f3-4528-93a9-c16c6373cb59", pc.CodeInvalidInput},
		{"", pc.CodeMissingParameter},
		{"mpnId=4847383", ""},
	} {
		t.Run(tc.query, func(t *testing.T) {
			rec := h.do(h.appUser, http.MethodGet, "/v1/compliance/csp/agreementstatus?"+tc.query, nil)
			if tc.code != "" {
				h.expect(rec, http.StatusBadRequest, tc.code)
				return
			}
			h.expect(rec, http.StatusOK, "")
			if !strings.Contains(rec.Body.String(), `"isAgreementSigned":true`) {
				t.Fatal(rec.Body.String())
			}
		})
	}
}

func TestPartnershipLifecycle(t *testing.T) {
	h := newHarness(t, Config{PartnershipAcceptDelay: 2 * time.Hour})
	active := func() []pc.PartnerRelationship {
		var list pc.Collection[pc.PartnerRelationship]
		h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf", nil), &list)
		return list.Items
	}
	h.expect(h.do(h.appUser, http.MethodGet, "/v1/compliance/csp/agreementstatus?mpnId=4847383", nil), http.StatusOK, "")
	if n := len(active()); n != 0 {
		t.Fatalf("active before the reseller accepted: %d", n)
	}
	h.clock.Advance(2 * time.Hour)
	items := active()
	if len(items) != 1 || items[0].MpnID != "4847383" || items[0].State != pc.RelationshipStateActive || items[0].RelationshipType != pc.RelationshipTypeIndirectCSPOf {
		t.Fatalf("relationships %+v", items)
	}
	indirect := customerRequest("indirect.onmicrosoft.com", "US")
	indirect.AssociatedPartnerID = "4847383" // the MPN id, not the tenant id
	h.expect(h.do(h.appUser, http.MethodPost, "/v1/customers", indirect), http.StatusBadRequest, pc.CodeInvalidInput)
	indirect.AssociatedPartnerID = items[0].ID
	h.expect(h.do(h.appUser, http.MethodPost, "/v1/customers", indirect), http.StatusCreated, "")

	if err := h.sim.RemovePartnership("4847383"); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(24 * time.Hour)
	if n := len(active()); n != 0 {
		t.Fatalf("removed partnership came back: %d", n)
	}
	if err := h.sim.AcceptPartnership("4847383"); err != nil || len(active()) != 1 {
		t.Fatalf("accept: %v", err)
	}
}

func TestRelationshipRequestAndExistingTenant(t *testing.T) {
	h := newHarness(t, Config{})
	var rr pc.RelationshipRequest
	h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/customers/relationshiprequests", nil), &rr)
	if !strings.HasPrefix(rr.URL, "https://admin.microsoft.com/") || !strings.Contains(rr.URL, "DAP=false") || !strings.Contains(rr.URL, DefaultPartnerTenantID) {
		t.Fatalf("url %q", rr.URL)
	}
	const tenant = "0b9d1f4c-1c52-4b4c-9d35-3c0d0d5f8a10"
	if err := h.sim.AddExistingTenant(tenant, "Tailspin"); err != nil {
		t.Fatal(err)
	}
	h.expect(h.do(h.appOnly, http.MethodGet, "/v1/customers/"+tenant, nil), http.StatusNotFound, "")
	if err := h.sim.AcceptRelationshipRequest(tenant); err != nil {
		t.Fatal(err)
	}
	var list pc.Collection[pc.Customer]
	h.decodeInto(h.do(h.appOnly, http.MethodGet, "/v1/customers?size=10", nil), &list)
	if len(list.Items) != 1 || list.Items[0].ID != tenant || list.Items[0].RelationshipToPartner != pc.RelationshipReseller {
		t.Fatalf("list %+v", list.Items)
	}
	rec := h.do(h.appUser, http.MethodGet, "/v1/customers/"+tenant+"/validationStatus?type=account", nil)
	h.expect(rec, http.StatusNotFound, pc.CodeAccountStatusNotFound)
}

func TestOrderGates(t *testing.T) {
	h := newHarness(t, Config{ManualVerification: true, DirectSignDelay: -1, PartnershipAcceptDelay: -1, OrderCompletionDelay: time.Hour})
	c := h.createCustomer("orders.onmicrosoft.com")
	const offer = "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P"
	h.expect(h.order(c.ID, offer, ""), http.StatusForbidden, pc.CodeCustomerUnderReview)
	_ = h.sim.RejectVerification(c.ID)
	h.expect(h.order(c.ID, offer, ""), http.StatusForbidden, pc.CodeCustomerNotApproved)
	_ = h.sim.ApproveVerification(c.ID)
	h.expect(h.order(c.ID, offer, ""), http.StatusForbidden, pc.CodeAgreementMissing)
	h.expect(h.attest(c.ID, "tania@orders.example"), http.StatusCreated, "")
	h.expect(h.order(c.ID, offer, "4847383"), http.StatusBadRequest, pc.CodeMPNNotValidIndirectReseller)
	_ = h.sim.AcceptPartnership("4847383")

	rec := h.order(c.ID, offer, "4847383")
	h.expect(rec, http.StatusCreated, "")
	var o pc.Order
	h.decodeInto(rec, &o)
	if o.Status != pc.OrderStatusPending || o.LineItems[0].SubscriptionID == "" || o.LineItems[0].PartnerIDOnRecord != "4847383" {
		t.Fatalf("order %+v", o)
	}
	h.expect(h.order(c.ID, offer, "4847383"), http.StatusConflict, pc.CodeOrderInProgress)
	h.clock.Advance(time.Hour)
	h.decodeInto(h.do(h.appOnly, http.MethodGet, "/v1/customers/"+c.ID+"/orders/"+o.ID, nil), &o)
	var sub pc.Subscription
	h.decodeInto(h.do(h.appOnly, http.MethodGet, "/v1/customers/"+c.ID+"/subscriptions/"+o.LineItems[0].SubscriptionID, nil), &sub)
	if o.Status != pc.OrderStatusCompleted || sub.Status != pc.SubscriptionStatusActive || sub.PartnerID != "4847383" || sub.OrderID != o.ID {
		t.Fatalf("after completion order %q subscription %+v", o.Status, sub)
	}
}

// activeSubscription makes an allowed, attested customer with one completed P1Y order.
func activeSubscription(t testing.TB, h *harness, domain string) (pc.Customer, pc.Subscription) {
	t.Helper()
	return activeSubscriptionFor(t, h, domain, pc.TermP1Y)
}

// activeSubscriptionFor is activeSubscription with that term.
func activeSubscriptionFor(t testing.TB, h *harness, domain, term string) (pc.Customer, pc.Subscription) {
	t.Helper()
	c := h.createCustomer(domain)
	h.expect(h.attest(c.ID, "tania@"+domain), http.StatusCreated, "")
	rec := h.do(h.appOnly, http.MethodPost, "/v1/customers/"+c.ID+"/orders", pc.Order{
		BillingCycle: pc.BillingCycleMonthly,
		LineItems:    []pc.OrderLineItem{{LineItemNumber: 0, OfferID: "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", Quantity: 5, TermDuration: term}},
	})
	h.expect(rec, http.StatusCreated, "")
	var o pc.Order
	h.decodeInto(rec, &o)
	var sub pc.Subscription
	h.decodeInto(h.do(h.appOnly, http.MethodGet, "/v1/customers/"+c.ID+"/subscriptions/"+o.LineItems[0].SubscriptionID, nil), &sub)
	return c, sub
}

func TestSubscriptionUpdates(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c, sub := activeSubscription(t, h, "subs.onmicrosoft.com")
	path := "/v1/customers/" + c.ID + "/subscriptions/" + sub.ID
	patch := func(s pc.Subscription) *httptest.ResponseRecorder {
		return h.do(h.appOnly, http.MethodPatch, path, s, pc.HeaderIfMatch, `"`+s.Attributes.Etag+`"`)
	}

	more := sub
	more.Quantity = 10
	rec := patch(more)
	h.expect(rec, http.StatusOK, "")
	h.expect(patch(more), http.StatusBadRequest, pc.CodeSubscriptionETagStale)
	h.decodeInto(rec, &sub)

	_ = h.sim.RejectVerification(c.ID)
	fewer := sub
	fewer.Quantity = 8
	h.expect(patch(fewer), http.StatusForbidden, pc.CodeCustomerNotApproved)
	renamed := sub
	renamed.FriendlyName = "renamed while not approved"
	h.expect(patch(renamed), http.StatusOK, "")
	h.decodeInto(h.do(h.appOnly, http.MethodGet, path, nil), &sub)
	_ = h.sim.ApproveVerification(c.ID)

	h.clock.Advance(8 * 24 * time.Hour)
	fewer = sub
	fewer.Quantity = 8
	h.expect(patch(fewer), http.StatusBadRequest, pc.CodeQuantityCannotDecrease)
	cancel := sub
	cancel.Status = pc.SubscriptionStatusDeleted
	h.expect(patch(cancel), http.StatusBadRequest, pc.CodeCancellationWindowPassed)
}

func TestCancelInsideWindow(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c, sub := activeSubscription(t, h, "cancel.onmicrosoft.com")
	h.clock.Advance(6 * 24 * time.Hour)
	sub.Status = pc.SubscriptionStatusDeleted
	rec := h.do(h.appOnly, http.MethodPatch, "/v1/customers/"+c.ID+"/subscriptions/"+sub.ID, sub)
	h.expect(rec, http.StatusOK, "")
	h.decodeInto(rec, &sub)
	if sub.Status != pc.SubscriptionStatusDeleted {
		t.Fatalf("status %q", sub.Status)
	}
}

func TestRenewalIgnoresVerification(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c, sub := activeSubscription(t, h, "renew.onmicrosoft.com")
	_, noRenew := activeSubscription(t, h, "expire.onmicrosoft.com")
	noRenew.AutoRenewEnabled = false
	noRenew.ScheduledActions = []pc.ScheduledAction{{ScheduleType: pc.ScheduleTypeTermEnd, ActionType: pc.ActionCancel}} // S7: else the EST
	h.expect(h.do(h.appOnly, http.MethodPatch, "/v1/customers/"+h.sim.Customers()[1].Customer.ID+"/subscriptions/"+noRenew.ID, noRenew), http.StatusOK, "")
	_ = h.sim.RejectVerification(c.ID)
	end, _ := pc.ParseTime(sub.CommitmentEndDate)
	h.clock.Advance(end.Sub(h.clock.Now()))
	var renewed pc.Subscription
	h.decodeInto(h.do(h.appOnly, http.MethodGet, "/v1/customers/"+c.ID+"/subscriptions/"+sub.ID, nil), &renewed)
	newEnd, _ := pc.ParseTime(renewed.CommitmentEndDate)
	if renewed.Status != pc.SubscriptionStatusActive || !newEnd.Equal(end.AddDate(1, 0, 0)) {
		t.Fatalf("not renewed for a NotAllowed customer: %+v", renewed)
	}
	if got := h.sim.Subscriptions()[1]; got.Status != pc.SubscriptionStatusExpired {
		t.Fatalf("auto-renew off: status %q", got.Status)
	}
}

func TestSupportContactAndCostPolicy(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c, sub := activeSubscription(t, h, "support.onmicrosoft.com")
	path := "/v1/customers/" + c.ID + "/subscriptions/" + sub.ID + "/supportcontact"
	h.expect(h.do(h.appUser, http.MethodPut, path, pc.SupportContact{SupportTenantID: "x", SupportMpnID: "4391507"}), http.StatusBadRequest, pc.CodeInvalidInput)
	_ = h.sim.AcceptPartnership("4391507")
	tenant := h.sim.resellers["4391507"].TenantID
	h.expect(h.do(h.appUser, http.MethodPut, path, pc.SupportContact{SupportTenantID: tenant, SupportMpnID: "4391507"}), http.StatusOK, "")
	var got pc.SupportContact
	h.decodeInto(h.do(h.appUser, http.MethodGet, path, nil), &got)
	if got.SupportTenantID != tenant || got.Name == "" {
		t.Fatalf("support contact %+v", got)
	}
	arm := h.sim.IssueToken(TokenARM)
	policy := "/providers/Microsoft.Billing/billingAccounts/acct/customers/" + c.ID + "/policies/default?api-version=2020-05-01"
	body := pc.CostManagementPolicy{Properties: pc.CostManagementPolicyProperties{ViewCharges: pc.ViewChargesAllowed}}
	h.expect(h.do(arm, http.MethodPut, policy, body), http.StatusOK, "")
	h.expect(h.do(arm, http.MethodPut, strings.Replace(policy, c.ID, "nobody", 1), body), http.StatusNotFound, "NotFound")
	if p := h.sim.Customers()[0].CostManagementPolicy; p == nil || p.Properties.ViewCharges != pc.ViewChargesAllowed {
		t.Fatalf("policy %+v", p)
	}
}

func TestRequestIDReplay(t *testing.T) {
	h := newHarness(t, Config{})
	req := customerRequest("replay.onmicrosoft.com", "US")
	first := h.do(h.appOnly, http.MethodPost, "/v1/customers", req, pc.HeaderRequestID, "rid-1")
	second := h.do(h.appOnly, http.MethodPost, "/v1/customers", req, pc.HeaderRequestID, "rid-1")
	h.expect(second, http.StatusCreated, "")
	if first.Body.String() != second.Body.String() || len(h.sim.Customers()) != 1 {
		t.Fatalf("replay differed or created twice (%d customers)", len(h.sim.Customers()))
	}
	other := customerRequest("other.onmicrosoft.com", "US")
	h.expect(h.do(h.appOnly, http.MethodPost, "/v1/customers", other, pc.HeaderRequestID, "rid-1"), http.StatusConflict, "409")
	if h.sim.Calls(pc.OpCreateCustomer) != 3 {
		t.Fatalf("calls %d", h.sim.Calls(pc.OpCreateCustomer))
	}
}

func TestThrottling(t *testing.T) {
	h := newHarness(t, Config{ThrottleRate: 1, RetryAfter: 3 * time.Second})
	rec := h.do(h.appOnly, http.MethodGet, "/v1/customers", nil, pc.HeaderRequestID, "rid-1")
	h.expect(rec, http.StatusTooManyRequests, "")
	if rec.Header().Get("Retry-After") != "3" || !strings.Contains(rec.Body.String(), `"statusCode":429`) ||
		!strings.Contains(rec.Body.String(), "Rate limit is exceeded. Try again in 3 seconds.") {
		t.Fatalf("429 %v %s", rec.Header(), rec.Body.String())
	}
	if h.sim.ThrottleViolations() != 0 {
		t.Fatal("first 429 counted as a violation")
	}
	// The same call retried at once, ignoring Retry-After.
	h.expect(h.do(h.appOnly, http.MethodGet, "/v1/customers", nil, pc.HeaderRequestID, "rid-1"), http.StatusTooManyRequests, "")
	if h.sim.ThrottleViolations() != 1 {
		t.Fatalf("early retry not counted: %d", h.sim.ThrottleViolations())
	}
}

func TestACallAlreadyOnItsWayWhenAHoldBeganIsNoViolation(t *testing.T) {
	sim := New(Config{ThrottleRate: 1, RetryAfter: time.Second})
	t0 := time.Now()
	const throttledCall = "request-1" // the MS-RequestId answered the 429 that begins the hold
	rep, throttled := sim.throttled("caller", throttledCall, t0)
	if !throttled || rep.hold == nil {
		t.Fatal("the first call should start a hold")
	}
	for _, tc := range []struct {
		name                   string
		answered               bool
		requestID              string
		at                     time.Duration
		violations, onTheirWay int
	}{
		{"another call arrives before the 429 is answered", false, "request-2", time.Millisecond, 0, 1},
		{"another call arrives just after the 429 left, before its client can have read it", true, "request-3", 3 * time.Millisecond, 0, 2},
		{"the throttled call itself is retried just after its 429 left", true, throttledCall, 3 * time.Millisecond, 1, 2},
		{"a call answered 429 during the hold is retried inside it", true, "request-3", 4 * time.Millisecond, 2, 2},
		{"another call arrives once the 429 can have been read", true, "request-4", 2*time.Millisecond + readGrace, 3, 2},
		{"a call arrives after the hold", true, throttledCall, 1001 * time.Millisecond, 3, 2},
	} {
		if tc.answered && rep.hold.answeredAt.IsZero() {
			rep.hold.answeredAt = t0.Add(2 * time.Millisecond)
		}
		sim.throttled("caller", tc.requestID, t0.Add(tc.at))
		if sim.ThrottleViolations() != tc.violations || sim.InFlightAtThrottle() != tc.onTheirWay {
			t.Fatalf("%s: violations %d, on their way %d; want %d, %d", tc.name, sim.ThrottleViolations(), sim.InFlightAtThrottle(), tc.violations, tc.onTheirWay)
		}
	}
	// The violations arrived 1 ms and 2 ms (retries) and readGrace after the 429 that began the hold.
	if delays := sim.ThrottleViolationDelays(); !slices.Equal(delays, []time.Duration{time.Millisecond, 2 * time.Millisecond, readGrace}) {
		t.Fatalf("violation delays %v, want [1ms 2ms %s]", delays, readGrace)
	}
}

func TestControlAPI(t *testing.T) {
	h := newHarness(t, Config{EnableControlAPI: true, ManualVerification: true})
	c := h.createCustomer("control.onmicrosoft.com")
	h.expect(h.do("", http.MethodPost, "/sim/customers/"+c.ID+"/approve-verification", nil), http.StatusNoContent, "")
	if s := h.validationStatus(c.ID); s != pc.AccountStatusAllowed {
		t.Fatalf("status %q", s)
	}
	h.expect(h.do("", http.MethodPost, "/sim/clock/advance?by=1h", nil), http.StatusNoContent, "")
	if !h.clock.Now().Equal(epoch.Add(time.Hour)) {
		t.Fatal("clock not advanced")
	}
	h.expect(h.do("", http.MethodPost, "/sim/customers/nobody/sign-mca", nil), http.StatusBadRequest, "")
	rec := h.do("", http.MethodGet, "/sim/calls", nil)
	if !strings.Contains(rec.Body.String(), `"CreateCustomer":1`) {
		t.Fatal(rec.Body.String())
	}
	off := newHarness(t, Config{})
	off.expect(off.do("", http.MethodGet, "/sim/calls", nil), http.StatusNotFound, "")
}

func TestEveryClientOperationIsRouted(t *testing.T) {
	routed := map[string]bool{}
	for _, rt := range routes {
		routed[rt.op] = true
	}
	for _, op := range pc.AllOperations {
		if !routed[op] {
			t.Errorf("operation %s has no route", op)
		}
	}
}

func TestInjectedErrorsHaveNoSideEffect(t *testing.T) {
	h := newHarness(t, Config{ErrorRate: 1})
	h.expect(h.do(h.appOnly, http.MethodPost, "/v1/customers", customerRequest("fault.onmicrosoft.com", "US"), pc.HeaderRequestID, "rid"), http.StatusServiceUnavailable, "503")
	if n := len(h.sim.Customers()); n != 0 {
		t.Fatalf("an injected 503 created %d customers", n)
	}
}
