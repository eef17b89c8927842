package pcsim

import (
	"fmt"
	"net/http"
	"regexp"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// The enhanced MCA attestation flow of 2026 (partner-center-2026.md §1): the
// partner creates an attestation (App-only), the customer accepts the MCA
// through its Microsoft-hosted link before it expires, and the agreement
// created with the attestation's ID is what the agreements list shows and
// what the order gate accepts. Names and shapes that Microsoft does not
// publish are the choices of internal/partnercenter/wire (attestations.go).

// attestationState is one enhanced attestation.
type attestationState struct {
	att        pc.EnhancedAttestation
	createdAt  time.Time
	expiresAt  time.Time
	acceptedAt time.Time
	// usedBy is the customer whose agreement references the attestation ("" = none yet).
	usedBy string
}

// defaultLinkExpiry is the link lifetime when the request gives none.
// Choice: the longest allowed (7 days); Microsoft's default is not published.
const defaultLinkExpiry = pc.MaxLinkExpiryMinutes * time.Minute

// customerAcceptsAt is when the simulated customer accepts by itself
// (AttestationAcceptDelay after creation); ok is false when only a control
// call makes it accept, or when that moment is past the link's expiry.
func (a *attestationState) customerAcceptsAt(cfg Config) (time.Time, bool) {
	at := a.createdAt.Add(cfg.AttestationAcceptDelay)
	return at, cfg.AttestationAcceptDelay >= 0 && at.Before(a.expiresAt)
}

// settle accepts a pending attestation when its customer is due to, or
// expires it once its link ran out.
func (a *attestationState) settle(cfg Config, now time.Time) {
	if a.att.Status != pc.AttestationPending {
		return
	}
	if at, ok := a.customerAcceptsAt(cfg); ok && !now.Before(at) {
		a.accept(at)
		return
	}
	if !now.Before(a.expiresAt) {
		a.att.Status = pc.AttestationExpired
	}
}

// accept records the customer's acceptance at t.
func (a *attestationState) accept(t time.Time) {
	a.att.Status, a.acceptedAt, a.att.AcceptedAt = pc.AttestationAccepted, t, pc.FormatTime(t)
}

// nextEvent is the customer's own acceptance or the link's expiry, whichever comes first.
func (a *attestationState) nextEvent(cfg Config) (time.Time, bool) {
	if a.att.Status != pc.AttestationPending {
		return time.Time{}, false
	}
	if at, ok := a.customerAcceptsAt(cfg); ok {
		return at, true
	}
	return a.expiresAt, true
}

// isoCountry is an ISO 3166-1 alpha-2 code.
var isoCountry = regexp.MustCompile(`^[A-Z]{2}$`)

// createEnhancedAttestation is POST /v1/attestations/enhanced → 201 with the
// attestation, Pending, its acceptance link and expiry. Choice: missing
// required fields, a country that is not two capital letters (ISO 3166-1
// alpha-2) and an expiry outside 5..10080 minutes are 400 code 2000.
func (s *Simulator) createEnhancedAttestation(c *call) reply {
	var req pc.EnhancedAttestationRequest
	if rep, ok := decode(c, &req); !ok {
		return rep
	}
	switch {
	case req.Country == "" || req.Language == "" || req.CompanyName == "" ||
		req.SignatoryFirstName == "" || req.SignatoryLastName == "" || req.SignatoryEmail == "":
		return invalidInput("country, language, companyName, signatoryFirstName, signatoryLastName and signatoryEmail are required.")
	case !isoCountry.MatchString(req.Country):
		return invalidInput("country must be an ISO 3166-1 alpha-2 code.")
	case req.ExpirationTimeInMinutes != 0 && (req.ExpirationTimeInMinutes < pc.MinLinkExpiryMinutes || req.ExpirationTimeInMinutes > pc.MaxLinkExpiryMinutes):
		return invalidInput(fmt.Sprintf("expirationTimeInMinutes must be between %d and %d.", pc.MinLinkExpiryMinutes, pc.MaxLinkExpiryMinutes))
	}
	expiry := defaultLinkExpiry
	if req.ExpirationTimeInMinutes != 0 {
		expiry = time.Duration(req.ExpirationTimeInMinutes) * time.Minute
	}
	id := s.newID()
	st := &attestationState{createdAt: c.now, expiresAt: c.now.Add(expiry), att: pc.EnhancedAttestation{
		EnhancedAttestationRequest: req, AttestationID: id, Status: pc.AttestationPending,
		AcceptanceURL: pc.AcceptanceURL(id, req.Language, req.Country),
		CreatedAt:     pc.FormatTime(c.now), ExpiresAt: pc.FormatTime(c.now.Add(expiry)),
	}}
	s.attestations[id] = st
	s.attestationSeq = append(s.attestationSeq, id)
	s.track(st)
	return jsonReply(http.StatusCreated, st.att)
}

// getEnhancedAttestation is GET /v1/attestations/enhanced/{attestationId}.
func (s *Simulator) getEnhancedAttestation(c *call) reply {
	id := c.r.PathValue("attestationId")
	st := s.attestations[id]
	if st == nil {
		return notFound("Attestation", id)
	}
	return jsonReply(http.StatusOK, st.att)
}

// createAttestedAgreement is the agreement of the 2026 flow: it references an
// accepted attestation, which it binds to the customer. Choices: an unknown
// attestation is 404; one not accepted, or used for another customer, is 400
// code 2000; a primaryContact, when given, must be the signatory (400 2000);
// the agreement's dateAgreed is the customer's acceptance; an agreement for
// an attestation already used, or with the contact of an agreement that still
// counts, is 600061 (HTTP 400, like the legacy one).
func (s *Simulator) createAttestedAgreement(c *call, st *customerState, a pc.Agreement) reply {
	att := s.attestations[a.AttestationID]
	switch {
	case att == nil:
		return notFound("Attestation", a.AttestationID)
	case att.usedBy != "" && att.usedBy != st.customer.ID:
		return invalidInput("Attestation " + a.AttestationID + " was used for another customer.")
	case att.usedBy != "":
		return duplicateAgreement()
	case att.att.Status != pc.AttestationAccepted:
		return invalidInput("Attestation " + a.AttestationID + " has not been accepted by the customer (status " + att.att.Status + ").")
	case a.TemplateID != pc.MCATemplateID || a.Type != pc.AgreementTypeMCA:
		return invalidInput("templateId must be " + pc.MCATemplateID + " and type " + pc.AgreementTypeMCA + ".")
	}
	signatory := pc.Signatory(att.att.EnhancedAttestationRequest)
	if a.PrimaryContact != (pc.Contact{}) && a.PrimaryContact != signatory {
		return invalidInput("primaryContact must be the attestation's signatory.")
	}
	if st.countingContact(signatory) {
		return duplicateAgreement()
	}
	a.PrimaryContact, a.DateAgreed = signatory, pc.FormatTime(att.acceptedAt)
	att.usedBy = st.customer.ID
	return jsonReply(http.StatusCreated, s.recordAgreement(c, st, a))
}

// duplicateAgreement is the documented 600061. Choice: HTTP 400.
func duplicateAgreement() reply {
	return newError(http.StatusBadRequest, 600061, pc.ErrorNamePartnerConfirmedAgreementAlreadyExists,
		"A partner confirmed agreement already exists for the customer.")
}

// legacyAttestationRetired refuses the legacy attestation body (no
// attestation ID) once the clock is past pc.LegacyAttestationRetiredAt.
// Choice: 400 code 2000 naming the enhanced flow (Microsoft does not say
// whether the retired call errors or records an agreement that does not count).
func legacyAttestationRetired() reply {
	return invalidInput("The partner attestation without an attestation ID was retired on 2026-01-05: create an enhanced attestation (POST /v1/attestations/enhanced), let the customer accept it, then create the agreement with its attestationId.")
}

// counts tells whether a recorded agreement satisfies the order gate: an MCA
// agreement, and once re-acceptance is enforced one dated on or after
// pc.ReacceptanceCutoff (M12).
func (c *customerState) counts(a pc.Agreement) bool {
	if a.Type != pc.AgreementTypeMCA {
		return false
	}
	if !c.reacceptanceEnforced {
		return true
	}
	agreed, err := pc.ParseTime(a.DateAgreed)
	return err != nil || !agreed.Before(pc.ReacceptanceCutoff)
}

// countingContact tells whether an agreement that still counts has this contact (600061).
func (c *customerState) countingContact(contact pc.Contact) bool {
	for _, a := range c.agreements {
		if c.counts(a) && a.PrimaryContact == contact {
			return true
		}
	}
	return false
}

// settleReacceptance enforces re-acceptance from pc.LegacyAttestationRetiredAt on.
func (c *customerState) settleReacceptance(now time.Time) {
	if !now.Before(pc.LegacyAttestationRetiredAt) {
		c.reacceptanceEnforced = true
	}
}

// reacceptanceEvent is the moment re-acceptance becomes enforced, while it is ahead.
func (c *customerState) reacceptanceEvent() []time.Time {
	if c.reacceptanceEnforced {
		return nil
	}
	return []time.Time{pc.LegacyAttestationRetiredAt}
}

// CustomerAcceptsAttestation is the customer opening the acceptance link and
// accepting the MCA. It fails for an unknown or expired attestation.
func (s *Simulator) CustomerAcceptsAttestation(attestationID string) error {
	return s.locked(func(now time.Time) error {
		a := s.attestations[attestationID]
		switch {
		case a == nil:
			return fmt.Errorf("pcsim: unknown attestation %q", attestationID)
		case a.att.Status == pc.AttestationExpired:
			return fmt.Errorf("pcsim: the link of attestation %q expired at %s", attestationID, a.att.ExpiresAt)
		case a.att.Status == pc.AttestationPending:
			a.accept(now)
		}
		return nil
	})
}

// SetAttestationAcceptDelay changes how long after creation the simulated
// customer accepts an attestation by itself (negative: only through
// CustomerAcceptsAttestation). It applies to pending attestations too.
func (s *Simulator) SetAttestationAcceptDelay(d time.Duration) {
	_ = s.locked(func(time.Time) error {
		s.cfg.AttestationAcceptDelay = d
		for _, id := range s.attestationSeq {
			s.track(s.attestations[id])
		}
		return nil
	})
}

// Attestations returns every enhanced attestation in creation order.
func (s *Simulator) Attestations() []pc.EnhancedAttestation {
	return inCreationOrder(s, func() []string { return s.attestationSeq }, func(id string) pc.EnhancedAttestation { return s.attestations[id].att })
}

// inCreationOrder lists, under the lock, the resources of a creation-order
// sequence (seq reads it) as at returns them.
func inCreationOrder[T any](s *Simulator, seq func() []string, at func(id string) T) []T {
	var out []T
	_ = s.locked(func(time.Time) error {
		for _, id := range seq() {
			out = append(out, at(id))
		}
		return nil
	})
	return out
}

// SeedAgreement records an agreement as history, unchecked: an acceptance
// made years ago (e.g. dated 2021, before pc.ReacceptanceCutoff, M12).
func (s *Simulator) SeedAgreement(customerID string, a pc.Agreement) error {
	return s.withCustomer(customerID, func(c *customerState, _ time.Time) {
		a.Attributes = pc.Attributes{ObjectType: pc.ObjectTypeAgreement}
		c.agreements = append(c.agreements, a)
	})
}
