// Package customer reconciles Customer objects: it creates a new Partner
// Center customer (or adopts an existing one, C7), stores the admin
// credentials crash-safely (C12), tracks verification (C10), qualification
// (C8), Cost Management (C11) and the MCA state (M6), and honours the
// deletion policy.
package customer

import (
	"context"
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// ControllerName names the controller in logs, metrics and events.
const ControllerName = "customer"

// DefaultBillingAccountName is the MPA billing account used for the Cost
// Management policy call (C11) when none is configured.
const DefaultBillingAccountName = "default"

// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers/finalizers,verbs=update
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=resellerpartnerships;mcaattestations,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;create;update
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupWithManager registers the Customer reconciler, backed by the shared
// Partner Center client.
func SetupWithManager(mgr ctrl.Manager, deps controller.Deps) error {
	r := &Reconciler{
		Client:   mgr.GetClient(),
		Reader:   mgr.GetAPIReader(),
		External: deps.PartnerCenter,
		Config:   deps.Config,
		Recorder: mgr.GetEventRecorder(ControllerName),
	}
	return r.SetupWithManager(mgr)
}

// Reconciler reconciles Customer objects.
type Reconciler struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// Reader reads Secrets uncached, so the operator does not cache every Secret.
	Reader client.Reader
	// External is Partner Center.
	External External
	// Config is the operator-wide configuration (role, partner domain, backend, resync, clock).
	Config config.Operator
	// Recorder emits events on transitions.
	Recorder recorder.EventRecorder
	// BillingAccountName is the MPA billing account for the Cost Management
	// call (C11); DefaultBillingAccountName when empty.
	BillingAccountName string

	synced syncCache
}

// resellerRefIndex indexes Customers by spec.indirectResellerRef.name, so a
// ResellerPartnership change wakes exactly the Customers waiting for it.
const resellerRefIndex = "spec.indirectResellerRef.name"

// SetupWithManager registers the reconciler with mgr. The Customer watch
// ignores status-only updates (its own writes); ResellerPartnership and
// MCAAttestation changes wake the Customers they concern.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.Customer{}, resellerRefIndex, indexResellerRef); err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.Customer{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.ResellerPartnership{}, handler.EnqueueRequestsFromMapFunc(r.customersOfPartnership)).
		Watches(&v1alpha1.MCAAttestation{}, handler.EnqueueRequestsFromMapFunc(r.customerOfAttestation)).
		Complete(r)
}

// Reconcile brings one Customer towards its spec: fetch, deletion, paused,
// the phases of the create/adopt path, then one status write.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	c := &v1alpha1.Customer{}
	if err := r.Client.Get(ctx, req.NamespacedName, c); err != nil {
		r.synced.forget(req.NamespacedName)
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if wait, fresh := r.synced.fresh(c, r.Config.Now(), r.resync()); fresh {
		// Settled and looked at within the resync period: nothing to read or write.
		return ctrl.Result{RequeueAfter: wait}, nil
	}
	patcher := status.NewPatcher(r.Client, c)
	status.InitializeReady(c)
	c.Status.Backend = r.Config.Backend

	result, err := r.reconcile(ctx, c)
	if patchErr := patcher.PatchStatus(ctx, c); patchErr != nil && !apierrors.IsNotFound(patchErr) {
		return ctrl.Result{}, patchErr
	}
	if err == nil && status.IsTrue(c, v1alpha1.ConditionReady) && c.DeletionTimestamp.IsZero() {
		r.synced.mark(c, r.Config.Now())
	}
	return result, err
}

// reconcile runs the phases and turns their outcome into Ready/Reconciling/Stalled and a requeue.
func (r *Reconciler) reconcile(ctx context.Context, c *v1alpha1.Customer) (ctrl.Result, error) {
	if !c.DeletionTimestamp.IsZero() {
		h, err := r.reconcileDelete(ctx, c)
		if h == nil && err == nil {
			return ctrl.Result{}, nil // the finalizer is released; the object goes away
		}
		return r.finish(c, h, err)
	}
	if r.reconcilePaused(c) {
		return ctrl.Result{}, nil
	}
	h, err := r.reconcileLive(ctx, c)
	return r.finish(c, h, err)
}

// finish reports the outcome of the phases and picks the requeue.
func (r *Reconciler) finish(c *v1alpha1.Customer, h *halt, err error) (ctrl.Result, error) {
	var apiErr apierrors.APIStatus
	if errors.As(err, &apiErr) {
		return ctrl.Result{}, err // a Kubernetes API error: controller-runtime retries with backoff
	}
	r.reportSynced(c, err)
	if err != nil {
		h = haltForError(err)
	}
	if h == nil {
		h = &halt{outcome: status.Outcome{Ready: true, Reason: ReasonReady, Message: readyMessage(c)}}
	}
	r.reportTransition(c, h.outcome)
	status.Report(c, h.outcome)
	if h.after > 0 {
		return ctrl.Result{RequeueAfter: h.after}, nil
	}
	since := h.since
	if since.IsZero() {
		since = r.Config.Now()
	}
	return ctrl.Result{RequeueAfter: status.RequeueAfter(h.outcome.Reason.Class, since, r.Config.Now(), r.resync())}, nil
}

// reportSynced records the outcome of this pass against Partner Center.
func (r *Reconciler) reportSynced(c *v1alpha1.Customer, err error) {
	if err != nil {
		status.MarkFalse(c, v1alpha1.ConditionSynced, haltForError(err).outcome.Reason, err.Error())
		return
	}
	status.MarkTrue(c, v1alpha1.ConditionSynced, status.ReasonSucceeded, "The last reconcile against Partner Center succeeded.")
}

// reconcilePaused reports Paused=True and tells whether the reconcile must stop
// there: a paused Customer makes no Partner Center writes.
func (r *Reconciler) reconcilePaused(c *v1alpha1.Customer) bool {
	if c.Annotations[v1alpha1.AnnotationPaused] != "true" {
		status.Remove(c, v1alpha1.ConditionPaused)
		return false
	}
	status.MarkTrue(c, v1alpha1.ConditionPaused, status.ReasonPaused,
		"The "+v1alpha1.AnnotationPaused+" annotation is set: nothing is written to Partner Center until it is removed.")
	return true
}

// reconcileLive runs the create/adopt path and, once the customer exists, the
// phases that keep it in line with the spec. The first phase that must wait
// decides the outcome; the observers after it still run so status is current.
func (r *Reconciler) reconcileLive(ctx context.Context, c *v1alpha1.Customer) (*halt, error) {
	if h := r.validateSpec(c); h != nil {
		return h, nil
	}
	if h, err := r.ensureExists(ctx, c); h != nil || err != nil {
		return h, err
	}
	var first *halt
	for _, phase := range []func(context.Context, *v1alpha1.Customer) (*halt, error){
		r.syncBillingProfile, r.observeVerification, r.ensureQualification, r.ensureCostManagement, r.observeAgreement,
	} {
		h, err := phase(ctx, c)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = h
		}
	}
	return first, nil
}

// reconcileDelete carries out the deletion policy and releases the finalizer;
// (nil, nil) means the object may go. Nothing created remotely → nothing to
// wait for.
func (r *Reconciler) reconcileDelete(ctx context.Context, c *v1alpha1.Customer) (*halt, error) {
	if !controllerutil.ContainsFinalizer(c, v1alpha1.Finalizer) {
		return nil, nil
	}
	if h, err := r.deleteRemote(ctx, c); h != nil || err != nil {
		return h, err
	}
	if err := r.patchMetadata(ctx, c, func(obj *v1alpha1.Customer) { controllerutil.RemoveFinalizer(obj, v1alpha1.Finalizer) }); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	r.synced.forget(client.ObjectKeyFromObject(c))
	return nil, nil
}

// resync is the settled-object resync period (1 h when unset).
func (r *Reconciler) resync() time.Duration {
	if r.Config.ResyncPeriod > 0 {
		return r.Config.ResyncPeriod
	}
	return time.Hour
}

// event records an event on the Customer. Notes never carry secrets.
func (r *Reconciler) event(c *v1alpha1.Customer, eventType, reason, note string, args ...any) {
	if r.Recorder != nil {
		r.Recorder.Eventf(c, nil, eventType, reason, reason, note, args...)
	}
}

// reportTransition emits a Warning event when the Customer becomes Stalled,
// so a person sees it in `kubectl describe` (once per new stall reason).
func (r *Reconciler) reportTransition(c *v1alpha1.Customer, o status.Outcome) {
	if o.Ready || o.Reason.Class != status.NeedsUser {
		return
	}
	if prev := status.Get(c, v1alpha1.ConditionStalled); prev != nil && prev.Status == metav1.ConditionTrue && prev.Reason == o.Reason.Name {
		return
	}
	r.event(c, corev1.EventTypeWarning, EventStalled, "%s: %s", o.Reason.Name, o.Message)
}
