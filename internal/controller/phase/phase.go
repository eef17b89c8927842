// Package phase holds what every reconciler shares: the Lifecycle that runs
// each kind's steps (lifecycle.go), the Halt a step returns when the object
// cannot go further yet, the mapping of Partner Center errors to halts, the
// settled-object memory (synccache.go), and the Reporter that turns a pass's
// outcome into the status contract (Ready/Reconciling/Stalled, Synced,
// Paused), a Warning event on a new stall, and the requeue delay its
// reason's retry class picks. docs/design.md draws how they fit.
package phase

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Halt is a phase's verdict that the object cannot go further now: why (the
// outcome), since when it has been waiting (slow polls grow with it), and an
// explicit delay when Partner Center named one (Retry-After).
type Halt struct {
	// Outcome is what status reports.
	Outcome status.Outcome
	// Since is when the wait began; zero means now.
	Since time.Time
	// After, when set, is the delay Partner Center asked for.
	After time.Duration
}

// WaitFor builds a Halt for reason with a formatted message.
func WaitFor(reason status.Reason, since time.Time, format string, args ...any) *Halt {
	return &Halt{Outcome: status.Outcome{Reason: reason, Message: fmt.Sprintf(format, args...)}, Since: since}
}

// ForError turns a Partner Center error into a Halt: throttling waits for
// Retry-After, a missing credential (App+User, ARM) needs a person, client errors
// are shown and retried slowly, anything else (5xx, network) is retried fast.
// Error texts never carry secrets.
func ForError(err error) *Halt {
	if after, ok := partnercenter.IsThrottled(err); ok {
		return &Halt{Outcome: status.Outcome{Reason: status.ReasonThrottled, Message: err.Error()}, After: after}
	}
	if partnercenter.IsMFARequired(err) {
		return WaitFor(status.ReasonMFARequired, time.Time{},
			"Partner Center refused an App+User call because the refresh token was not obtained with multi-factor authentication (900421): sign in with MFA, consent the application again and store the new refresh token in the credentials Secret (docs/partner-center.md). Not retried until then. %s", err.Error())
	}
	if partnercenter.IsCredentialRequired(err) {
		return WaitFor(status.ReasonCredentialRequired, time.Time{}, "%s", err.Error())
	}
	if IsClientError(err) {
		return WaitFor(status.ReasonPartnerCenterRefused, time.Time{}, "%s", err.Error())
	}
	return WaitFor(status.ReasonPartnerCenterError, time.Time{}, "%s", err.Error())
}

// IsClientError reports a Partner Center 4xx other than timeout/throttling
// and the MFA refusal (900421, about the credential): an answer about the
// request, not a transport failure.
func IsClientError(err error) bool {
	var e *partnercenter.Error
	if !errors.As(err, &e) || partnercenter.IsMFARequired(e) {
		return false
	}
	return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusRequestTimeout && e.StatusCode != http.StatusTooManyRequests
}

// Object is what the Reporter reports on: a kind of this operator.
type Object interface {
	status.Object
	runtime.Object
	v1alpha1.ManagedObject
	GetAnnotations() map[string]string
}

// EventStalled is the Warning event reason for an object that only a person
// can unblock; the note says what to change.
const EventStalled = "Stalled"

// EventDriftObserved is the Warning event of a drift an Observe object found
// and left as it is (I1); emitted once per drift, not on every resync.
const EventDriftObserved = "DriftObserved"

// Reporter turns the outcome of one pass into status, events and a requeue,
// the same way for every kind.
type Reporter struct {
	// Config gives the clock and the resync period.
	Config config.Operator
	// Recorder emits events; nil records none.
	Recorder recorder.EventRecorder
}

// Finish reports the outcome of the phases (h nil and err nil means ready,
// with the ready outcome) and picks the requeue. A Kubernetes API error is
// returned as is, so controller-runtime retries it with backoff.
func (r Reporter) Finish(obj Object, h *Halt, err error, ready status.Outcome) (ctrl.Result, error) {
	return r.finish(obj, h, err, ready, &Pass{})
}

// finish is Finish with what the pass's steps recorded.
func (r Reporter) finish(obj Object, h *Halt, err error, ready status.Outcome, p *Pass) (ctrl.Result, error) {
	var found *metav1.Condition
	if c := status.Get(obj, v1alpha1.ConditionSynced); c != nil {
		found = c.DeepCopy()
	}
	var apiErr apierrors.APIStatus
	if errors.As(err, &apiErr) {
		p.reportOutOfSync(r, obj, found)
		return ctrl.Result{}, err
	}
	r.reportSynced(obj, err)
	p.reportOutOfSync(r, obj, found)
	if err != nil {
		h = ForError(err)
	}
	if h == nil {
		h = &Halt{Outcome: ready}
	}
	r.reportStall(obj, h.Outcome)
	status.Report(obj, h.Outcome)
	priority := requeuePriority(h.Outcome.Reason.Class)
	if h.After > 0 {
		return ctrl.Result{RequeueAfter: h.After, Priority: priority}, nil
	}
	now := r.Config.Now()
	since := h.Since
	if since.IsZero() {
		since = now
	}
	return ctrl.Result{RequeueAfter: status.RequeueAfter(h.Outcome.Reason.Class, since, now, r.Resync()), Priority: priority}, nil
}

// reportSynced records the outcome of this pass against Partner Center.
func (r Reporter) reportSynced(obj Object, err error) {
	if err != nil {
		status.MarkFalse(obj, v1alpha1.ConditionSynced, ForError(err).Outcome.Reason, err.Error())
		return
	}
	status.MarkTrue(obj, v1alpha1.ConditionSynced, status.ReasonSucceeded, "The last reconcile against Partner Center succeeded.")
}

// reportStall emits a Warning event when the object becomes Stalled, so a
// person sees it in `kubectl describe` (once per new stall reason).
func (r Reporter) reportStall(obj Object, o status.Outcome) {
	if o.Ready || o.Reason.Class != status.NeedsUser {
		return
	}
	if prev := status.Get(obj, v1alpha1.ConditionStalled); prev != nil && prev.Status == metav1.ConditionTrue && prev.Reason == o.Reason.Name {
		return
	}
	r.Event(obj, corev1.EventTypeWarning, EventStalled, "%s: %s", o.Reason.Name, o.Message)
}

// Paused reports Paused=True and tells whether the reconcile must stop there:
// a paused object makes no Partner Center writes.
func (r Reporter) Paused(obj Object) bool {
	if obj.GetAnnotations()[v1alpha1.AnnotationPaused] != "true" {
		status.Remove(obj, v1alpha1.ConditionPaused)
		return false
	}
	status.MarkTrue(obj, v1alpha1.ConditionPaused, status.ReasonPaused,
		"The "+v1alpha1.AnnotationPaused+" annotation is set: nothing is written to Partner Center until it is removed.")
	return true
}

// DeletionPaused holds a deletion's Partner Center write while obj is
// paused (the lifecycle runs DeleteRemote whatever the annotation, since a
// deletion with nothing to write in Partner Center need not wait): what is
// the write that waits, as "the customer is deleted in Partner Center".
// nil when obj is not paused.
func DeletionPaused(obj Object, now time.Time, what string) *Halt {
	if obj.GetAnnotations()[v1alpha1.AnnotationPaused] != "true" {
		return nil
	}
	return WaitFor(status.ReasonPaused, now, "Paused: %s once the paused annotation is removed.", what)
}

// Resync is the settled-object resync period (1 h when unset), stretched
// by the safety net when the book does not fit its budget share.
func (r Reporter) Resync() time.Duration {
	base := time.Hour
	if r.Config.ResyncPeriod > 0 {
		base = r.Config.ResyncPeriod
	}
	if r.Config.SafetyNet != nil {
		return r.Config.SafetyNet.Period(base)
	}
	return base
}

// Event records an event on obj. Notes never carry secrets.
func (r Reporter) Event(obj runtime.Object, eventType, reason, note string, args ...any) {
	if r.Recorder != nil {
		r.Recorder.Eventf(obj, nil, eventType, reason, reason, note, args...)
	}
}
