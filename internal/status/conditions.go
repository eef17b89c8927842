package status

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// Object is an object of this API: a Kubernetes object with the common status.
type Object interface {
	client.Object
	v1alpha1.StatusObject
}

// Set writes a condition stamped with the object's generation. The
// transition time only moves when the status flips (meta.SetStatusCondition),
// so re-setting an unchanged condition changes nothing and causes no write.
func Set(obj Object, condType string, status metav1.ConditionStatus, reason Reason, message string) {
	meta.SetStatusCondition(&obj.GetCommonStatus().Conditions, metav1.Condition{
		Type:               condType,
		Status:             status,
		Reason:             reason.Name,
		Message:            message,
		ObservedGeneration: obj.GetGeneration(),
	})
}

// MarkTrue sets condType to True.
func MarkTrue(obj Object, condType string, reason Reason, message string) {
	Set(obj, condType, metav1.ConditionTrue, reason, message)
}

// MarkFalse sets condType to False.
func MarkFalse(obj Object, condType string, reason Reason, message string) {
	Set(obj, condType, metav1.ConditionFalse, reason, message)
}

// MarkUnknown sets condType to Unknown.
func MarkUnknown(obj Object, condType string, reason Reason, message string) {
	Set(obj, condType, metav1.ConditionUnknown, reason, message)
}

// Remove deletes a condition the object no longer needs to report.
func Remove(obj Object, condType string) {
	meta.RemoveStatusCondition(&obj.GetCommonStatus().Conditions, condType)
}

// Get returns the condition of that type, or nil.
func Get(obj Object, condType string) *metav1.Condition {
	return meta.FindStatusCondition(obj.GetCommonStatus().Conditions, condType)
}

// IsTrue tells whether the condition exists and is True.
func IsTrue(obj Object, condType string) bool {
	return meta.IsStatusConditionTrue(obj.GetCommonStatus().Conditions, condType)
}

// InitializeReady writes Ready=Unknown on the first visit, so kstatus does not
// report an untouched object as Current before the controller has looked at it.
func InitializeReady(obj Object) {
	if Get(obj, v1alpha1.ConditionReady) == nil {
		MarkUnknown(obj, v1alpha1.ConditionReady, ReasonReconciling, "The operator has started reconciling this object.")
		MarkTrue(obj, v1alpha1.ConditionReconciling, ReasonReconciling, "The operator has started reconciling this object.")
	}
}

// Outcome is what a reconcile concluded about the object as a whole.
type Outcome struct {
	// Ready is True when everything the object declares is in effect.
	Ready bool
	// Reason explains Ready, and its class picks Reconciling/Stalled and the requeue.
	Reason Reason
	// Message is for people: what the object is waiting for, or what to change.
	// Never a secret.
	Message string
}

// Report writes Ready, Reconciling and Stalled from the outcome:
//   - Ready=True, Reconciling=False, Stalled=False when Ready;
//   - Stalled=True (and Reconciling=False) when only a person can unblock it;
//   - otherwise Ready=False and Reconciling=True while the operator works or waits.
//
// It also records the generation the status describes.
func Report(obj Object, o Outcome) {
	common := obj.GetCommonStatus()
	common.ObservedGeneration = obj.GetGeneration()
	switch {
	case o.Ready:
		MarkTrue(obj, v1alpha1.ConditionReady, o.Reason, o.Message)
		MarkFalse(obj, v1alpha1.ConditionReconciling, o.Reason, "Nothing is pending.")
		MarkFalse(obj, v1alpha1.ConditionStalled, o.Reason, "Nothing is blocked.")
	case o.Reason.Class == NeedsUser:
		MarkFalse(obj, v1alpha1.ConditionReady, o.Reason, o.Message)
		MarkFalse(obj, v1alpha1.ConditionReconciling, o.Reason, "Waiting for a person: "+o.Message)
		MarkTrue(obj, v1alpha1.ConditionStalled, o.Reason, o.Message)
	default:
		MarkFalse(obj, v1alpha1.ConditionReady, o.Reason, o.Message)
		MarkTrue(obj, v1alpha1.ConditionReconciling, o.Reason, o.Message)
		MarkFalse(obj, v1alpha1.ConditionStalled, o.Reason, "Nothing is blocked.")
	}
}
