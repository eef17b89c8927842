package partnercenter

import (
	"context"
	"net/http"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// CreateEnhancedAttestation creates an attestation for a customer's signatory
// (App-only only, 2026 flow step 1) and returns it with its acceptance link.
// Replaying requestID returns the original attestation, so a lost answer never
// makes a second live link.
func (c *Client) CreateEnhancedAttestation(ctx context.Context, requestID string, req wire.EnhancedAttestationRequest) (*wire.EnhancedAttestation, error) {
	var out wire.EnhancedAttestation
	_, err := c.do(ctx, call{
		op: wire.OpCreateEnhancedAttestation, method: http.MethodPost, path: wire.AttestationsPath(c.attestationVersion),
		requestID: requestID, body: req, appOnly: true, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return withAcceptanceURL(&out, err)
}

// GetEnhancedAttestation reads an attestation's state (App-only only).
func (c *Client) GetEnhancedAttestation(ctx context.Context, attestationID string) (*wire.EnhancedAttestation, error) {
	var out wire.EnhancedAttestation
	_, err := c.do(ctx, call{
		op: wire.OpGetEnhancedAttestation, method: http.MethodGet,
		path: wire.AttestationsPath(c.attestationVersion) + "/" + escape(attestationID), appOnly: true,
	}, &out)
	return withAcceptanceURL(&out, err)
}

// withAcceptanceURL fills the acceptance link when the answer carries none.
func withAcceptanceURL(a *wire.EnhancedAttestation, err error) (*wire.EnhancedAttestation, error) {
	if err != nil {
		return nil, err
	}
	if a.AcceptanceURL == "" {
		a.AcceptanceURL = wire.AcceptanceURL(a.AttestationID, a.Language, a.Country)
	}
	return a, nil
}

// CreateAttestedAgreement creates the customer's MCA agreement referencing an
// accepted enhanced attestation (2026 flow step 3; App-only, like the
// attestation itself). An identical agreement fails with IsDuplicateAgreement.
func (c *Client) CreateAttestedAgreement(ctx context.Context, requestID, customerID string, agreement Agreement) (*Agreement, error) {
	var out Agreement
	_, err := c.do(ctx, call{
		op: OpCreateAgreement, method: http.MethodPost,
		path:      "/" + escape(c.attestationVersion) + "/customers/" + escape(customerID) + "/agreements",
		requestID: requestID, body: agreement, appOnly: true, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// Signatory is an attestation's signatory as an agreement's primary contact.
func Signatory(r wire.EnhancedAttestationRequest) Contact {
	return Contact{FirstName: r.SignatoryFirstName, LastName: r.SignatoryLastName, Email: r.SignatoryEmail, PhoneNumber: r.SignatoryPhoneNumber}
}

// MCAVerdict is whether a customer's acceptance of the Microsoft Customer
// Agreement counts for new orders today, and why not.
type MCAVerdict struct {
	// Accepted is true when an acceptance counts.
	Accepted bool
	// Outdated is true when the only acceptances date from before
	// wire.ReacceptanceCutoff: the customer must accept again (M12).
	Outdated bool
	// Agreement is the counting agreement (nil for a direct acceptance), or
	// with Outdated the newest outdated one.
	Agreement *Agreement
}

// JudgeMCA is the one place the operator decides whether a customer's MCA is
// accepted (M6, M10, M12): a listed MCA agreement dated on or after
// wire.ReacceptanceCutoff counts, and so does any once it is only history
// (before wire.LegacyAttestationRetiredAt); from then on an older one does
// not and the customer must accept again. signedDirectly is Partner Center's
// isSigned, which carries no date and counts as it is.
func JudgeMCA(agreements []Agreement, signedDirectly bool, now time.Time) MCAVerdict {
	var outdated *Agreement
	for i := range agreements {
		a := &agreements[i]
		if a.Type != AgreementTypeMCA && a.TemplateID != MCATemplateID {
			continue
		}
		if !acceptanceOutdated(a.DateAgreed, now) {
			return MCAVerdict{Accepted: true, Agreement: a}
		}
		if outdated == nil || a.DateAgreed > outdated.DateAgreed {
			outdated = a
		}
	}
	if signedDirectly {
		return MCAVerdict{Accepted: true}
	}
	return MCAVerdict{Outdated: outdated != nil, Agreement: outdated}
}

// acceptanceOutdated tells whether an acceptance dated dateAgreed no longer
// counts at now (M12). An undated or unreadable date is taken as counting:
// Partner Center listed the agreement.
func acceptanceOutdated(dateAgreed string, now time.Time) bool {
	agreed, err := ParseTime(dateAgreed)
	if err != nil || dateAgreed == "" {
		return false
	}
	return agreed.Before(wire.ReacceptanceCutoff) && !now.Before(wire.LegacyAttestationRetiredAt)
}

// IsMFARequired reports the 401 900421: an App+User call whose token lacks
// the MFA claim. Only a new consent with an MFA sign-in fixes it.
func IsMFARequired(err error) bool { return hasCode(err, wire.CodeMFARequired) }
