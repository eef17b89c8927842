package partnercenter

import (
	"context"
	"slices"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// AgreementReader is the part of Partner Center that tells whether a
// customer accepted the Microsoft Customer Agreement.
type AgreementReader interface {
	ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error)
	GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error)
}

// MCAState is what Partner Center confirms about a customer's acceptance of
// the Microsoft Customer Agreement (M6). It is the one rule the Customer and
// the MCAAttestation both read, so the two kinds never disagree.
type MCAState struct {
	// Attestations are the partner attestations of the MCA.
	Attestations []wire.Agreement
	// SignedDirectly is the customer's own acceptance in the admin center.
	SignedDirectly bool
}

// Accepted is M6: the acceptance is confirmed, by any partner attestation or
// by the customer itself.
func (s MCAState) Accepted() bool { return len(s.Attestations) > 0 || s.SignedDirectly }

// ReadMCAState reads the customer's MCA state: the listed agreements of the
// MCA (by type or template), and, only when none is listed and askDirect is
// set, the direct-signed status.
func ReadMCAState(ctx context.Context, pc AgreementReader, customerID string, askDirect bool) (MCAState, error) {
	var state MCAState
	listed, err := pc.ListAgreements(ctx, customerID)
	if err != nil {
		return state, err
	}
	state.Attestations = slices.DeleteFunc(listed, func(a wire.Agreement) bool {
		return a.Type != wire.AgreementTypeMCA && a.TemplateID != wire.MCATemplateID
	})
	if len(state.Attestations) > 0 || !askDirect {
		return state, nil
	}
	signed, err := pc.GetDirectSignedStatus(ctx, customerID)
	if err != nil {
		return state, err
	}
	state.SignedDirectly = signed != nil && signed.IsSigned
	return state, nil
}
