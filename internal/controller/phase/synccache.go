package phase

import (
	"context"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// SyncCache remembers, per object, the last full pass that ended Ready, so a
// settled object woken again (its own status write, a resync of the
// informer, a change of a watched object that does not concern it) makes
// zero Partner Center calls and zero API-server writes until the resync
// period has passed. A change that matters invalidates the entry: a new
// generation, the paused annotation, deletion, or a reconciler's Forget when
// a watched object it depends on changed. The zero value is ready to use.
type SyncCache struct {
	entries sync.Map // types.NamespacedName → syncEntry
}

// syncEntry is what a full pass saw.
type syncEntry struct {
	uid        types.UID
	generation int64
	paused     bool
	at         time.Time
}

// entryOf describes the object as the cache keys it.
func entryOf(obj client.Object, at time.Time) syncEntry {
	return syncEntry{uid: obj.GetUID(), generation: obj.GetGeneration(), paused: obj.GetAnnotations()[v1alpha1.AnnotationPaused] == "true", at: at}
}

// Fresh tells whether obj was fully reconciled within resync and has not
// changed since; it returns how long until the resync is due.
func (s *SyncCache) Fresh(obj client.Object, now time.Time, resync time.Duration) (time.Duration, bool) {
	v, ok := s.entries.Load(client.ObjectKeyFromObject(obj))
	if !ok || obj.GetDeletionTimestamp() != nil || resync <= 0 {
		return 0, false
	}
	e := v.(syncEntry)
	current := entryOf(obj, e.at)
	left := e.at.Add(resync).Sub(now)
	return left, current == e && left > 0
}

// Mark records a full pass that ended Ready.
func (s *SyncCache) Mark(obj client.Object, now time.Time) {
	s.entries.Store(client.ObjectKeyFromObject(obj), entryOf(obj, now))
}

// Forget drops the entry, so the next reconcile of that object is a full pass.
func (s *SyncCache) Forget(key types.NamespacedName) { s.entries.Delete(key) }

// Reconcile is the loop every kind shares, around the kind's own pass: read
// the object from the cache; leave a settled object alone until its resync
// is due; initialize Ready and record the backend; run pass; write the
// status once at the end, and only if it changed (Cluster API's patch-helper
// pattern); remember a pass that ended Ready.
func Reconcile[T status.Object](ctx context.Context, c client.Client, req ctrl.Request, obj T, r *Reporter, synced *SyncCache,
	pass func(context.Context, T) (ctrl.Result, error)) (ctrl.Result, error) {
	if err := c.Get(ctx, req.NamespacedName, obj); err != nil {
		synced.Forget(req.NamespacedName)
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if wait, fresh := synced.Fresh(obj, r.Config.Now(), r.Resync()); fresh {
		// Settled and looked at within the resync period: nothing to read or write.
		return ctrl.Result{RequeueAfter: wait}, nil
	}
	patcher := status.NewPatcher(c, obj)
	status.InitializeReady(obj)
	obj.GetCommonStatus().Backend = r.Config.Backend

	result, err := pass(ctx, obj)
	if patchErr := patcher.PatchStatus(ctx, obj); patchErr != nil && !apierrors.IsNotFound(patchErr) {
		return ctrl.Result{}, patchErr
	}
	if err == nil && status.IsTrue(obj, v1alpha1.ConditionReady) && obj.GetDeletionTimestamp().IsZero() {
		synced.Mark(obj, r.Config.Now())
	}
	return result, err
}
