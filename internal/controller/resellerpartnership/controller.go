// Package resellerpartnership reconciles ResellerPartnership objects: an
// indirect provider's partnership with an indirect reseller (R1-R7). It checks
// the reseller's MPN ID and Microsoft Partner Agreement (R1), produces the
// partnership request (the provider's invitation link and a ready e-mail
// draft, R2), watches the provider's indirect resellers list until the
// reseller accepts, and records the reseller's name, tenant ID and MPN ID that
// Customers (R4) and Subscriptions (R3, R5) use. Partner Center has no API to
// send or remove a partnership request, so a confirmed removal (R6) ends in
// RemovalPending with the portal steps until the reseller has left the list.
// Removal never touches the Customers associated with the reseller.
package resellerpartnership

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// ControllerName names the controller in logs, metrics and events.
const ControllerName = "resellerpartnership"

// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=resellerpartnerships,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=resellerpartnerships/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=resellerpartnerships/finalizers,verbs=update
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupWithManager registers the ResellerPartnership reconciler, backed by
// the shared Partner Center client.
func SetupWithManager(mgr ctrl.Manager, deps controller.Deps) error {
	r := &Reconciler{
		Client:   mgr.GetClient(),
		Reader:   mgr.GetAPIReader(),
		External: deps.PartnerCenter,
		Reporter: phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(ControllerName)},
	}
	return r.SetupWithManager(mgr)
}

// Reconciler reconciles ResellerPartnership objects: the partnership's part
// of the shared phase.Lifecycle (Validate, Live, DeleteRemote, Ready).
type Reconciler struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// Reader reads a ResellerPartnership uncached when its cached copy lags
	// this process's writes (nil: through Client).
	Reader client.Reader
	// External is Partner Center.
	External External
	// Reporter carries the operator configuration (role, invitation link,
	// backend, resync, clock) and the event recorder, and reports each pass
	// the shared way.
	phase.Reporter

	// synced lets a settled partnership woken again skip Partner Center until its resync is due.
	synced phase.SyncCache
}

// SetupWithManager registers the reconciler with mgr. The watch ignores
// status-only updates (its own writes). Customers naming a partnership are
// woken by the Customer controller's own watch on this kind.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.ResellerPartnership{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Complete(r)
}

// Reconcile brings one ResellerPartnership towards its spec through the
// shared lifecycle.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	lifecycle := phase.Lifecycle[*v1alpha1.ResellerPartnership]{Client: r.Client, Reader: r.Reader, Reporter: &r.Reporter, Synced: &r.synced, Kind: r}
	return lifecycle.Reconcile(ctx, req, &v1alpha1.ResellerPartnership{})
}

// Ready is the outcome of a partnership no step holds.
func (r *Reconciler) Ready(rp *v1alpha1.ResellerPartnership) status.Outcome { return readyOutcome(rp) }
