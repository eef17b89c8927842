package phase

import (
	"time"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Observing tells whether obj's management policy is Observe: the object
// reads Partner Center and reports, and every write is skipped (I1). The
// lifecycle never runs DeleteRemote for such an object; each live step that
// writes asks Observing first (halting with ObserveOnly, or reporting drift
// with Pass.ObservedDrift).
func Observing(obj v1alpha1.ManagedObject) bool {
	return obj.GetManagementPolicy() == v1alpha1.ManagementPolicyObserve
}

// ObserveOnly is the Halt of an Observe object whose spec asks for a write:
// what would be done, and that nothing is.
func ObserveOnly(wouldDo string) *Halt {
	return WaitFor(status.ReasonObserveOnly, time.Time{},
		"I1: managementPolicy is Observe: nothing is written to Partner Center, so %s is not done. Set spec.managementPolicy: Manage to let the operator act.", wouldDo)
}

// ObservedDriftMessage is the Synced message of drift an Observe object
// leaves as it is, naming what differs.
func ObservedDriftMessage(what string) string {
	return "I1: managementPolicy is Observe: Partner Center differs from the spec (" + what + "); nothing is changed. Set spec.managementPolicy: Manage to apply the spec."
}

// ObservedDrift makes Synced report drift an Observe object leaves as it is:
// Synced=False DriftObserved naming what differs, with a Warning event when
// it is new.
func (p *Pass) ObservedDrift(what string) {
	p.Drift(status.ReasonDriftObserved, EventDriftObserved, ObservedDriftMessage(what))
}
