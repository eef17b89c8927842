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
// a watched object it depends on changed. A Forget that comes while a pass
// is running also keeps that pass from being remembered: it may have read
// the watched object before the change. The zero value is ready to use.
type SyncCache struct {
	mu      sync.Mutex
	entries map[types.NamespacedName]syncEntry
	// forgets counts the Forgets per key; a pass begun at an older count is
	// not remembered.
	forgets map[types.NamespacedName]uint64
}

// PassToken identifies the start of a pass over one object (Begin).
type PassToken struct {
	key     types.NamespacedName
	forgets uint64
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
	s.mu.Lock()
	e, ok := s.entries[client.ObjectKeyFromObject(obj)]
	s.mu.Unlock()
	if !ok || obj.GetDeletionTimestamp() != nil || resync <= 0 {
		return 0, false
	}
	current := entryOf(obj, e.at)
	left := e.at.Add(resync).Sub(now)
	return left, current == e && left > 0
}

// gone forgets everything about an object that could not be read: no pass
// of it is running (this is its pass), and none is to be remembered.
func (s *SyncCache) gone(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, key)
	delete(s.forgets, key)
}

// Begin is called before a pass reads the object and what it depends on.
func (s *SyncCache) Begin(key types.NamespacedName) PassToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return PassToken{key: key, forgets: s.forgets[key]}
}

// Mark records a full pass that ended Ready, unless a Forget of the object
// came after the pass began (Begin).
func (s *SyncCache) Mark(pass PassToken, obj client.Object, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.forgets[pass.key] != pass.forgets {
		return
	}
	if s.entries == nil {
		s.entries = map[types.NamespacedName]syncEntry{}
	}
	s.entries[pass.key] = entryOf(obj, now)
}

// Forget drops the entry, so the next reconcile of that object is a full
// pass, and keeps a pass running now from being remembered.
func (s *SyncCache) Forget(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, key)
	if s.forgets == nil {
		s.forgets = map[types.NamespacedName]uint64{}
	}
	s.forgets[key]++
}

// Reconcile is the loop every kind shares, around the kind's own pass: read
// the object from the cache; leave a settled object alone until its resync
// is due; initialize Ready and record the backend; run pass; write the
// status once at the end, and only if it changed (Cluster API's patch-helper
// pattern); remember a pass that ended Ready.
func Reconcile[T status.Object](ctx context.Context, c client.Client, req ctrl.Request, obj T, r *Reporter, synced *SyncCache,
	pass func(context.Context, T) (ctrl.Result, error)) (ctrl.Result, error) {
	token := synced.Begin(req.NamespacedName)
	if err := c.Get(ctx, req.NamespacedName, obj); err != nil {
		synced.gone(req.NamespacedName)
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if wait, fresh := synced.Fresh(obj, r.Config.Now(), r.Resync()); fresh {
		// Settled and looked at within the resync period: nothing to read or write.
		return ctrl.Result{RequeueAfter: wait, Priority: requeuePriority(status.Settled)}, nil
	}
	ctx = markDriftCheck(ctx, obj)
	patcher := status.NewPatcher(c, obj)
	status.InitializeReady(obj)
	obj.GetCommonStatus().Backend = r.Config.Backend

	result, err := pass(ctx, obj)
	if patchErr := patcher.PatchStatus(ctx, obj); patchErr != nil && !apierrors.IsNotFound(patchErr) {
		return ctrl.Result{}, patchErr
	}
	if err == nil && status.IsTrue(obj, v1alpha1.ConditionReady) && obj.GetDeletionTimestamp().IsZero() {
		synced.Mark(token, obj, r.Config.Now())
	}
	return result, err
}
