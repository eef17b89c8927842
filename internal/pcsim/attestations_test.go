package pcsim

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

const attestationOffer = "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P"

// signatory is a valid enhanced attestation body for email.
func signatory(email string, minutes int) pc.EnhancedAttestationRequest {
	return pc.EnhancedAttestationRequest{Country: "US", Language: "en", CompanyName: "Contoso Ltd",
		SignatoryFirstName: "Tania", SignatoryLastName: "Carr", SignatoryEmail: email, ExpirationTimeInMinutes: minutes}
}

// createAttestation posts an enhanced attestation (App-only) and returns it.
func (h *harness) createAttestation(req pc.EnhancedAttestationRequest, headers ...string) pc.EnhancedAttestation {
	h.t.Helper()
	return answer[pc.EnhancedAttestation](h, h.do(h.appOnly, http.MethodPost, "/v1/attestations/enhanced", req, headers...), http.StatusCreated)
}

// attestation reads an attestation's state.
func (h *harness) attestation(id string) pc.EnhancedAttestation {
	h.t.Helper()
	return answer[pc.EnhancedAttestation](h, h.do(h.appOnly, http.MethodGet, "/v1/attestations/enhanced/"+id, nil), http.StatusOK)
}

// answer expects status and decodes the body.
func answer[T any](h *harness, rec *httptest.ResponseRecorder, status int) T {
	h.t.Helper()
	h.expect(rec, status, "")
	var v T
	h.decodeInto(rec, &v)
	return v
}

// attestedAgreement creates the agreement referencing attestationID (App-only).
func (h *harness) attestedAgreement(customerID, attestationID string) *httptest.ResponseRecorder {
	h.t.Helper()
	return h.do(h.appOnly, http.MethodPost, "/v1/customers/"+customerID+"/agreements", pc.Agreement{
		TemplateID: pc.MCATemplateID, Type: pc.AgreementTypeMCA, AttestationID: attestationID,
	})
}

func TestEnhancedAttestationFlow(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1, AttestationAcceptDelay: -1})
	h.clock.Advance(365 * 24 * time.Hour) // today's service: the legacy attestation is retired
	c := h.createCustomer("enhanced.onmicrosoft.com")

	h.expect(h.do(h.appUser, http.MethodPost, "/v1/attestations/enhanced", signatory("tania@enhanced.example", 60)), http.StatusForbidden, "403")
	a := h.createAttestation(signatory("tania@enhanced.example", 60))
	if a.Status != pc.AttestationPending || a.AcceptanceURL != pc.AcceptanceURL(a.AttestationID, "en", "US") ||
		a.ExpiresAt != pc.FormatTime(h.clock.Now().Add(time.Hour)) {
		t.Fatalf("created attestation %+v", a)
	}
	h.expect(h.attestedAgreement(c.ID, a.AttestationID), http.StatusBadRequest, pc.CodeInvalidInput)
	h.expect(h.order(c.ID, attestationOffer, ""), http.StatusForbidden, pc.CodeAgreementMissing)

	h.clock.Advance(10 * time.Minute)
	if err := h.sim.CustomerAcceptsAttestation(a.AttestationID); err != nil {
		t.Fatal(err)
	}
	got := h.attestation(a.AttestationID)
	if got.Status != pc.AttestationAccepted || got.AcceptedAt != pc.FormatTime(h.clock.Now()) {
		t.Fatalf("accepted attestation %+v", got)
	}
	rec := h.attestedAgreement(c.ID, a.AttestationID)
	h.expect(rec, http.StatusCreated, "")
	var ag pc.Agreement
	h.decodeInto(rec, &ag)
	if ag.AttestationID != a.AttestationID || ag.DateAgreed != got.AcceptedAt || ag.PrimaryContact.Email != "tania@enhanced.example" {
		t.Fatalf("agreement %+v", ag)
	}
	h.expect(h.attestedAgreement(c.ID, a.AttestationID), http.StatusBadRequest, pc.CodeDuplicateAgreement)
	var list pc.Collection[pc.Agreement]
	h.decodeInto(h.do(h.appUser, http.MethodGet, "/v1/customers/"+c.ID+"/agreements?agreementType=MicrosoftCustomerAgreement", nil), &list)
	if len(list.Items) != 1 || list.Items[0].AttestationID != a.AttestationID {
		t.Fatalf("list %+v", list.Items)
	}
	h.expect(h.order(c.ID, attestationOffer, ""), http.StatusCreated, "")
}

func TestEnhancedAttestationExpiredLink(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1, AttestationAcceptDelay: -1})
	c := h.createCustomer("expired.onmicrosoft.com")
	a := h.createAttestation(signatory("tania@expired.example", pc.MinLinkExpiryMinutes))
	h.clock.Advance(pc.MinLinkExpiryMinutes * time.Minute)
	if got := h.attestation(a.AttestationID); got.Status != pc.AttestationExpired {
		t.Fatalf("status after expiry %q", got.Status)
	}
	if err := h.sim.CustomerAcceptsAttestation(a.AttestationID); err == nil {
		t.Fatal("an expired link was accepted")
	}
	h.expect(h.attestedAgreement(c.ID, a.AttestationID), http.StatusBadRequest, pc.CodeInvalidInput)
}

func TestEnhancedAttestationCustomerAcceptsAfterDelay(t *testing.T) {
	h := newHarness(t, Config{AttestationAcceptDelay: 5 * time.Minute})
	a := h.createAttestation(signatory("tania@delay.example", 0))
	if a.ExpiresAt != pc.FormatTime(h.clock.Now().Add(pc.MaxLinkExpiryMinutes*time.Minute)) {
		t.Fatalf("default expiry %s", a.ExpiresAt)
	}
	h.clock.Advance(4 * time.Minute)
	if got := h.attestation(a.AttestationID); got.Status != pc.AttestationPending {
		t.Fatalf("accepted before the delay: %+v", got)
	}
	h.clock.Advance(time.Minute)
	if got := h.attestation(a.AttestationID); got.Status != pc.AttestationAccepted {
		t.Fatalf("not accepted after the delay: %+v", got)
	}
}

func TestEnhancedAttestationValidationAndReplay(t *testing.T) {
	h := newHarness(t, Config{AttestationAcceptDelay: -1})
	for _, minutes := range []int{pc.MinLinkExpiryMinutes - 1, pc.MaxLinkExpiryMinutes + 1} {
		h.expect(h.do(h.appOnly, http.MethodPost, "/v1/attestations/enhanced", signatory("t@x.example", minutes)), http.StatusBadRequest, pc.CodeInvalidInput)
	}
	noEmail := signatory("", 60)
	h.expect(h.do(h.appOnly, http.MethodPost, "/v1/attestations/enhanced", noEmail), http.StatusBadRequest, pc.CodeInvalidInput)

	first := h.createAttestation(signatory("t@x.example", 60), pc.HeaderRequestID, "rid-1")
	again := h.createAttestation(signatory("t@x.example", 60), pc.HeaderRequestID, "rid-1")
	if again.AttestationID != first.AttestationID || len(h.sim.Attestations()) != 1 {
		t.Fatalf("a replayed MS-RequestId made a second attestation: %s, %s", first.AttestationID, again.AttestationID)
	}
}

func TestLegacyAttestationRefusedAfterRetirement(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c := h.createCustomer("legacy.onmicrosoft.com")
	if !h.clock.Now().Before(pc.LegacyAttestationRetiredAt) {
		t.Fatalf("the harness epoch %s is past the retirement", h.clock.Now())
	}
	h.expect(h.attest(c.ID, "before@legacy.example"), http.StatusCreated, "")
	h.clock.Advance(pc.LegacyAttestationRetiredAt.Sub(h.clock.Now()))
	rec := h.attest(c.ID, "after@legacy.example")
	h.expect(rec, http.StatusBadRequest, pc.CodeInvalidInput)
	if d := partnercenter.DecodeError(rec.Code, rec.Body.Bytes()).Description; d == "" {
		t.Fatal("the refusal does not say why")
	}
}

func TestReacceptanceOfPre2023Agreements(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1, AttestationAcceptDelay: -1})
	c := h.createCustomer("old.onmicrosoft.com")
	old := pc.Agreement{PrimaryContact: pc.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@old.example"},
		TemplateID: pc.MCATemplateID, Type: pc.AgreementTypeMCA, DateAgreed: "2021-06-14T00:00:00Z"}
	if err := h.sim.SeedAgreement(c.ID, old); err != nil {
		t.Fatal(err)
	}
	h.expect(h.order(c.ID, attestationOffer, ""), http.StatusCreated, "") // before the re-acceptance date it counts
	h.clock.Advance(pc.LegacyAttestationRetiredAt.Sub(h.clock.Now()))
	h.expect(h.order(c.ID, "CFQ7TTC0LH18:0001:CFQ7TTC0LHS2", ""), http.StatusForbidden, pc.CodeAgreementMissing)

	// The same person accepts again through the enhanced flow: not a duplicate of the outdated agreement.
	a := h.createAttestation(signatory("tania@old.example", 60))
	if err := h.sim.CustomerAcceptsAttestation(a.AttestationID); err != nil {
		t.Fatal(err)
	}
	h.expect(h.attestedAgreement(c.ID, a.AttestationID), http.StatusCreated, "")
	h.expect(h.order(c.ID, "CFQ7TTC0LH18:0001:CFQ7TTC0LHS2", ""), http.StatusCreated, "")
}

func TestMFAEnforcedOnAppUserCalls(t *testing.T) {
	h := newHarness(t, Config{})
	noMFA := h.sim.IssueToken(TokenAppUserWithoutMFA)
	path := "/v1/agreements?agreementType=MicrosoftCustomerAgreement"
	h.expect(h.do(noMFA, http.MethodGet, path, nil), http.StatusOK, "") // before 2026-04-01
	h.clock.Advance(mfaEnforcedFrom.Sub(h.clock.Now()))
	h.expect(h.do(noMFA, http.MethodGet, path, nil), http.StatusUnauthorized, pc.CodeMFARequired)
	h.expect(h.do(h.appUser, http.MethodGet, path, nil), http.StatusOK, "")
	h.expect(h.do(h.appOnly, http.MethodPost, "/v1/attestations/enhanced", signatory("t@x.example", 60)), http.StatusCreated, "")
}
