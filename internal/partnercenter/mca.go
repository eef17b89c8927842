package partnercenter

import (
	"context"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// AgreementReader is the part of Partner Center that tells whether a
// customer accepted the Microsoft Customer Agreement.
type AgreementReader interface {
	ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error)
	GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error)
}

// MCAState is what Partner Center confirms about a customer's acceptance of
// the Microsoft Customer Agreement (M6, M12). It is the one rule the
// Customer and the MCAAttestation both read, so the two kinds never disagree.
type MCAState struct {
	// Attestations are the listed MCA agreements that count today.
	Attestations []wire.Agreement
	// SignedDirectly is the customer's own acceptance in the admin center
	// (Partner Center's isSigned, which carries no date and counts as it is).
	SignedDirectly bool
	// Outdated is the newest listed MCA agreement that no longer counts
	// (dated before wire.ReacceptanceCutoff, M12); nil when there is none.
	Outdated *wire.Agreement
}

// Accepted is M6: an acceptance that counts today is confirmed, by a
// partner attestation or by the customer itself.
func (s MCAState) Accepted() bool { return len(s.Attestations) > 0 || s.SignedDirectly }

// ReacceptanceRequired is M12: no acceptance counts and the customer's only
// acceptances predate wire.ReacceptanceCutoff, so the customer must accept again.
func (s MCAState) ReacceptanceRequired() bool { return !s.Accepted() && s.Outdated != nil }

// Newest is the date of the newest listed attestation that counts today, ""
// when none does.
func (s MCAState) Newest() string {
	newest := ""
	for _, a := range s.Attestations {
		newest = max(newest, a.DateAgreed)
	}
	return newest
}

// ReadMCAState is the one place the operator decides whether a customer's
// MCA is accepted (M6, M10, M12). It reads the listed agreements of the MCA
// (by type or template): one dated on or after wire.ReacceptanceCutoff
// counts, and so does any while that rule is only history (before
// wire.LegacyAttestationRetiredAt, at now); from then on an older one does
// not and the customer must accept again. Only when no listed agreement
// counts and askDirect is set is the direct-signed status read.
func ReadMCAState(ctx context.Context, pc AgreementReader, customerID string, askDirect bool, now time.Time) (MCAState, error) {
	var state MCAState
	listed, err := pc.ListAgreements(ctx, customerID)
	if err != nil {
		return state, err
	}
	for i := range listed {
		a := &listed[i]
		switch {
		case a.Type != wire.AgreementTypeMCA && a.TemplateID != wire.MCATemplateID:
		case !AcceptanceOutdated(a.DateAgreed, now):
			state.Attestations = append(state.Attestations, *a)
		case state.Outdated == nil || a.DateAgreed > state.Outdated.DateAgreed:
			state.Outdated = a
		}
	}
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

// AcceptanceOutdated tells whether an acceptance dated dateAgreed no longer
// counts at now (M12). An undated or unreadable date is taken as counting:
// Partner Center listed the agreement.
func AcceptanceOutdated(dateAgreed string, now time.Time) bool {
	agreed, err := wire.ParseTime(dateAgreed)
	if err != nil || dateAgreed == "" {
		return false
	}
	return agreed.Before(wire.ReacceptanceCutoff) && !now.Before(wire.LegacyAttestationRetiredAt)
}
