package subscription

import (
	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// GateInputs are the objects the order gate (S4) of a Subscription reads;
// nil (or empty) means the object does not exist.
type GateInputs struct {
	Customer       *v1alpha1.Customer
	Attestations   []v1alpha1.MCAAttestation
	Reseller       *v1alpha1.ResellerPartnership
	SupportContact *v1alpha1.ResellerPartnership
}

// OrderGate is the reconciler's own order gate for a plan: the reason and
// message of the first check that holds the order of s, or ok.
func OrderGate(s *v1alpha1.Subscription, in GateInputs) (reason, message string, ok bool) {
	r, message, ok := firstFailing(inputsOf(s, in))
	return r.Name, message, ok
}

// Changes is what applying s to the subscription Partner Center holds
// changes on it (S3), as the reconciler would PATCH it; none when in line.
func Changes(s *v1alpha1.Subscription, in GateInputs, remote wire.Subscription) []string {
	_, changes := desiredChanges(&s.Spec, partnerIDOf(s, inputsOf(s, in)), remote)
	return changes
}

// inputsOf is in as the reconciler reads it.
func inputsOf(s *v1alpha1.Subscription, in GateInputs) *orderInputs {
	return &orderInputs{subscription: s, customer: in.Customer, attestations: in.Attestations, reseller: in.Reseller, supportContact: in.SupportContact}
}
