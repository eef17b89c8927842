package pcsim

import (
	"net/http"
	"testing"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

func TestForcedAddressVerdict(t *testing.T) {
	h := newHarness(t, Config{})
	good := pc.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"}
	for _, tc := range []struct {
		forced      string
		suggestions int
	}{
		{pc.AddressStatusMultiple, 1},
		{pc.AddressStatusNotValidated, 0},
		{pc.AddressStatusNone, 0},
	} {
		if err := h.sim.ForceAddressVerdict(tc.forced); err != nil {
			t.Fatal(err)
		}
		var v pc.AddressValidationResponse
		h.decodeInto(h.do(h.appOnly, http.MethodPost, "/v1/validations/address", good), &v)
		if v.Status != tc.forced || len(v.SuggestedAddresses) != tc.suggestions {
			t.Fatalf("forced %s: got %+v", tc.forced, v)
		}
	}
	if err := h.sim.ForceAddressVerdict(""); err != nil {
		t.Fatal(err)
	}
	var v pc.AddressValidationResponse
	h.decodeInto(h.do(h.appOnly, http.MethodPost, "/v1/validations/address", good), &v)
	if v.Status != pc.AddressStatusVerifiedShippable {
		t.Fatalf("clearing the forced verdict left %q", v.Status)
	}
	if err := h.sim.ForceAddressVerdict("Maybe"); err == nil {
		t.Fatal("an unknown verdict was accepted")
	}
}

func TestSetVerificationStatus(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1}) // no MCA, so 13605 is what is left once the status passes
	c := h.createCustomer("setstatus.onmicrosoft.com")
	for _, tc := range []struct {
		status    string
		orderCode string // the 403 the order gets; without a status only the MCA gate (13605) is left
	}{
		{pc.AccountStatusNotReady, pc.CodeCustomerUnderReview},
		{pc.AccountStatusNotAllowed, pc.CodeCustomerNotApproved},
		{"", pc.CodeAgreementMissing},
	} {
		if err := h.sim.SetVerificationStatus(c.ID, tc.status); err != nil {
			t.Fatal(err)
		}
		if got := h.validationStatus(c.ID); got != tc.status {
			t.Fatalf("validation status %q, want %q", got, tc.status)
		}
		h.expect(h.order(c.ID, "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", ""), http.StatusForbidden, tc.orderCode)
	}
	if err := h.sim.SetVerificationStatus(c.ID, "Approved"); err == nil {
		t.Fatal("a status the API does not have was accepted")
	}
}

func TestM9CustomerCannotSignDirectly(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: time.Hour})
	c := h.createCustomer("m9.onmicrosoft.com")
	if err := h.sim.SetCannotSignDirectly(c.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.Advance(30 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.CustomerSignsMCA(c.ID); err == nil {
		t.Fatal("the M9 customer signed directly")
	}
	var st pc.DirectSignedStatus
	h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/customers/"+c.ID+"/directSignedMicrosoftCustomerAgreementStatus", nil), &st)
	if st.IsSigned {
		t.Fatal("isSigned became true for a customer that can never sign directly")
	}
}

func TestAdvanceNeedsSimClock(t *testing.T) {
	if err := New(Config{}).Advance(time.Hour); err == nil {
		t.Fatal("advancing a real-time simulator succeeded")
	}
	h := newHarness(t, Config{})
	if err := h.sim.Advance(time.Hour); err != nil || !h.clock.Now().Equal(epoch.Add(time.Hour)) {
		t.Fatalf("Advance: err %v, now %s", err, h.clock.Now())
	}
}

func TestControlAPIExtras(t *testing.T) {
	h := newHarness(t, Config{EnableControlAPI: true})
	c := h.createCustomer("controlx.onmicrosoft.com")
	h.expect(h.do("", http.MethodPost, "/sim/customers/"+c.ID+"/verification-status?status=NotAllowed", nil), http.StatusNoContent, "")
	if got := h.validationStatus(c.ID); got != pc.AccountStatusNotAllowed {
		t.Fatalf("status %q", got)
	}
	h.expect(h.do("", http.MethodPost, "/sim/customers/"+c.ID+"/cannot-sign-directly", nil), http.StatusNoContent, "")
	h.expect(h.do("", http.MethodPost, "/sim/customers/"+c.ID+"/sign-mca", nil), http.StatusBadRequest, "")
	h.expect(h.do("", http.MethodPost, "/sim/address-verdict?status=StreetPartial", nil), http.StatusNoContent, "")
	var v pc.AddressValidationResponse
	h.decodeInto(h.do(h.appOnly, http.MethodPost, "/v1/validations/address", pc.Address{Country: "US", City: "Redmond", AddressLine1: "1 Way", PostalCode: "98052"}), &v)
	if v.Status != pc.AddressStatusStreetPartial {
		t.Fatalf("verdict %q", v.Status)
	}
}

func TestRemoveCustomerRelationship(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.createCustomer("unlink.onmicrosoft.com")
	path := "/v1/customers/" + c.ID
	h.expect(h.do(h.appOnly, http.MethodPatch, path, map[string]any{"relationshipToPartner": "reseller"}), http.StatusBadRequest, pc.CodeInvalidInput)
	rec := h.do(h.appOnly, http.MethodPatch, path, map[string]any{"RelationshipToPartner": "none", "attributes": map[string]string{"objectType": "Customer"}})
	h.expect(rec, http.StatusOK, "")
	var got pc.Customer
	h.decodeInto(h.do(h.appOnly, http.MethodGet, path, nil), &got)
	if got.RelationshipToPartner != pc.RelationshipNone {
		t.Fatalf("relationshipToPartner %q after the PATCH", got.RelationshipToPartner)
	}
}
