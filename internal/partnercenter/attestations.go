package partnercenter

import (
	"context"
	"net/http"

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
func (c *Client) CreateAttestedAgreement(ctx context.Context, requestID, customerID string, agreement wire.Agreement) (*wire.Agreement, error) {
	var out wire.Agreement
	_, err := c.do(ctx, call{
		op: wire.OpCreateAgreement, method: http.MethodPost,
		path:      "/" + escape(c.attestationVersion) + "/customers/" + escape(customerID) + "/agreements",
		requestID: requestID, body: agreement, appOnly: true, ok: []int{http.StatusCreated, http.StatusOK},
	}, &out)
	return valueOrNil(&out, err)
}

// IsMFARequired reports the 401 900421: an App+User call whose token lacks
// the MFA claim. Only a new consent with an MFA sign-in fixes it.
func IsMFARequired(err error) bool { return hasCode(err, wire.CodeMFARequired) }
