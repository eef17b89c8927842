package phase

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Observing tells whether obj's management policy is Observe: the object
// reads Partner Center and reports, and every write is skipped (I1). Every
// Partner Center write of every kind is gated on it, like the paused annotation.
func Observing(obj v1alpha1.ManagedObject) bool {
	return obj.GetManagementPolicy() == v1alpha1.ManagementPolicyObserve
}

// ObserveOnly is the Halt of an Observe object whose spec asks for a write:
// what would be done, and that nothing is.
func ObserveOnly(wouldDo string) *Halt {
	return WaitFor(status.ReasonObserveOnly, time.Time{},
		"I1: managementPolicy is Observe: nothing is written to Partner Center, so %s is not done. Set spec.managementPolicy: Manage to let the operator act.", wouldDo)
}

// Drift is drift a pass found, for the Synced condition to report once the
// pass is finished (Finish reports the pass itself as Synced).
type Drift struct {
	reason  status.Reason
	message string
	// found is the Synced condition as the pass found it: an unchanged drift
	// keeps its transition time, so a resync that finds it again writes nothing.
	found *metav1.Condition
}

// NoteDrift records drift found during a pass, with a Warning event of
// eventReason when it is new (not what Synced already reports).
func (r Reporter) NoteDrift(obj Object, reason status.Reason, eventReason, message string) *Drift {
	d := &Drift{reason: reason, message: message}
	if prev := status.Get(obj, v1alpha1.ConditionSynced); prev != nil {
		d.found = prev.DeepCopy()
	}
	if d.found == nil || d.found.Reason != reason.Name || d.found.Message != message {
		r.Event(obj, corev1.EventTypeWarning, eventReason, "%s", message)
	}
	return d
}

// ObservedDrift records drift an Observe object leaves as it is: Synced=False
// DriftObserved naming what differs (what), with an event when it is new.
func (r Reporter) ObservedDrift(obj Object, what string) *Drift {
	return r.NoteDrift(obj, status.ReasonDriftObserved, EventDriftObserved,
		"I1: managementPolicy is Observe: Partner Center differs from the spec ("+what+"); nothing is changed. Set spec.managementPolicy: Manage to apply the spec.")
}

// Apply makes Synced report the drift (nil: nothing to report).
func (d *Drift) Apply(obj Object) {
	if d == nil {
		return
	}
	cond := metav1.Condition{Type: v1alpha1.ConditionSynced, Status: metav1.ConditionFalse, Reason: d.reason.Name, Message: d.message, ObservedGeneration: obj.GetGeneration()}
	if f := d.found; f != nil && f.Status == metav1.ConditionFalse && f.Reason == cond.Reason && f.Message == cond.Message {
		cond.LastTransitionTime = f.LastTransitionTime
		meta.RemoveStatusCondition(&obj.GetCommonStatus().Conditions, v1alpha1.ConditionSynced)
	}
	meta.SetStatusCondition(&obj.GetCommonStatus().Conditions, cond)
}
