// Package status is the status contract every kind of this operator follows,
// in one place so the four reconcilers report the same way:
//
//   - conditions are metav1.Conditions stamped with the object's generation;
//     lastTransitionTime moves only when a condition's status flips;
//   - Ready summarises the object, Reconciling is True while work is under way
//     and Stalled is True when only a person can unblock it (kstatus, Argo CD
//     and `kubectl wait --for=condition=Ready` read the object right);
//   - every reason carries a retry class that picks the requeue delay;
//   - status is written once per reconcile, and not at all when nothing changed.
package status
