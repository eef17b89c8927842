package phase

import (
	"context"
	"time"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// Kind is what one kind of this operator writes; Lifecycle does the rest
// (fetch, settled short-cut, deletion and finalizer, paused, status write).
// A fifth kind is these four methods plus its External port.
type Kind[T Object] interface {
	// Validate runs the admission rules again (webhooks may be off); nil
	// when the spec may go on to Partner Center.
	Validate(obj T) *Halt
	// Live runs the steps that bring Partner Center in line with the spec.
	Live(ctx context.Context, obj T, p *Pass) (*Halt, error)
	// DeleteRemote carries out the deletion policy in Partner Center for an
	// object being deleted that holds the finalizer; (nil, nil) lets it go.
	DeleteRemote(ctx context.Context, obj T) (*Halt, error)
	// Ready is the outcome reported when no step halts.
	Ready(obj T) status.Outcome
}

// Lifecycle is the one reconcile every kind shares, around its Kind: read
// the object from the cache, or uncached when the cache may not hold this
// process's own last write yet (so a create or an order is never sent twice
// for one intent); leave a settled object alone until its resync is due;
// initialize Ready and record the backend; run the deletion or the live
// steps; report through Finish; write the status once at the end, and only
// if it changed; remember a pass that ended Ready.
type Lifecycle[T Object] struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// Reader reads uncached; nil reads through Client.
	Reader client.Reader
	// Reporter reports each pass.
	Reporter *Reporter
	// Synced is the reconciler's memory of settled objects and of its own writes.
	Synced *SyncCache
	// Kind is the kind's own part.
	Kind Kind[T]
}

// Reconcile reconciles the object req names into obj (an empty object of the kind).
func (l Lifecycle[T]) Reconcile(ctx context.Context, req ctrl.Request, obj T) (ctrl.Result, error) {
	token := l.Synced.Begin(req.NamespacedName)
	if err := l.read(ctx, req, obj); err != nil {
		if apierrors.IsNotFound(err) {
			l.Synced.gone(req.NamespacedName)
		}
		// Any other error (the uncached read failing, say) keeps what the
		// cache knows: forgetting the version this process left the object
		// at would let the retry act on a cached copy older than its writes.
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if wait, fresh := l.Synced.Fresh(obj, l.Reporter.Config.Now(), l.Reporter.Resync()); fresh {
		// Settled and looked at within the resync period: nothing to read or write.
		return ctrl.Result{RequeueAfter: wait, Priority: requeuePriority(status.Settled)}, nil
	}
	ctx = markDriftCheck(ctx, obj)
	patcher := status.NewPatcher(l.Client, obj)
	status.InitializeReady(obj)
	obj.GetCommonStatus().Backend = l.Reporter.Config.Backend

	result, err := l.pass(ctx, obj, token)
	if partnercenter.IsDeferred(err) {
		// A drift check found no budget to spare: it learned nothing, so
		// nothing is reported; it goes back behind the work people wait for.
		l.Synced.Left(obj)
		return ctrl.Result{RequeueAfter: status.Jitter(driftCheckRetry), Priority: &priorityResync}, nil
	}
	patchErr := patcher.PatchStatus(ctx, obj)
	// Recorded even when the status write failed: the pass's metadata writes
	// (an intent's MS-RequestId) happened, and the next pass must not act on
	// a cached copy without them.
	l.Synced.Left(obj)
	if patchErr != nil && !apierrors.IsNotFound(patchErr) {
		return ctrl.Result{}, patchErr
	}
	if err == nil && status.IsTrue(obj, v1alpha1.ConditionReady) && obj.GetDeletionTimestamp().IsZero() {
		l.Synced.Mark(token, obj, l.Reporter.Config.Now())
	}
	return result, err
}

// read reads the object from the cache, and again uncached when the cached
// copy may be older than this process's last write of it: the watch event of
// that write can come before the cache holds it.
func (l Lifecycle[T]) read(ctx context.Context, req ctrl.Request, obj T) error {
	if err := l.Client.Get(ctx, req.NamespacedName, obj); err != nil || !l.Synced.Behind(obj) {
		return err
	}
	var reader client.Reader = l.Client
	if l.Reader != nil {
		reader = l.Reader
	}
	return reader.Get(ctx, req.NamespacedName, obj)
}

// pass runs the deletion, or the live steps unless paused, and reports.
func (l Lifecycle[T]) pass(ctx context.Context, obj T, token PassToken) (ctrl.Result, error) {
	if !obj.GetDeletionTimestamp().IsZero() {
		return l.delete(ctx, obj)
	}
	if l.Reporter.Paused(obj) {
		return ctrl.Result{}, nil
	}
	p := &Pass{memory: &passMemory{synced: l.Synced, token: token, obj: obj, now: l.Reporter.Config.Now, resync: l.Reporter.Resync()}}
	h := l.Kind.Validate(obj)
	var err error
	if h == nil {
		h, err = l.Kind.Live(ctx, obj, p)
	}
	if partnercenter.IsDeferred(err) {
		return ctrl.Result{}, err
	}
	return l.Reporter.finish(obj, h, err, l.Kind.Ready(obj), p)
}

// delete carries out the deletion policy and releases the finalizer.
// Nothing holds an object without the finalizer: it goes at once. An Observe
// object deletes nothing in Partner Center whatever its deletion policy (I1).
func (l Lifecycle[T]) delete(ctx context.Context, obj T) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(obj, v1alpha1.Finalizer) {
		return ctrl.Result{}, nil
	}
	if !Observing(obj) {
		h, err := l.Kind.DeleteRemote(ctx, obj)
		if h != nil || err != nil {
			return l.Reporter.Finish(obj, h, err, l.Kind.Ready(obj))
		}
	}
	if err := ReleaseFinalizer(ctx, l.Client, obj); err != nil {
		return ctrl.Result{}, err
	}
	l.Synced.Forget(client.ObjectKeyFromObject(obj))
	return ctrl.Result{}, nil
}

// driftCheckRetry is when a deferred drift check is looked at again.
const driftCheckRetry = 30 * time.Second

// Pass is what the steps of one pass record for Finish, the only writer of
// the status conditions the lifecycle owns.
type Pass struct {
	// outOfSync, when set, is what Synced reports although the pass itself succeeded.
	outOfSync *status.Outcome
	// event, when set, is the reason of the Warning event a new outOfSync emits.
	event string
	// memory is what earlier passes observed in Partner Center; nil: nothing.
	memory *passMemory
}

// passMemory is the SyncCache of the object a pass works on.
type passMemory struct {
	synced *SyncCache
	token  PassToken
	obj    client.Object
	now    func() time.Time
	resync time.Duration
}

// Recent tells whether an earlier pass of this process read part of the
// object in Partner Center lately (SyncCache.Recent): no change since was
// reported by the change feed, so the read may be skipped until the resync.
func (p *Pass) Recent(part string) bool {
	if p == nil || p.memory == nil {
		return false
	}
	m := p.memory
	return m.synced.Recent(m.obj, part, m.now(), m.resync)
}

// Observed records that this pass read (or set) part of the object in
// Partner Center, for Recent in the passes that follow.
func (p *Pass) Observed(part string) {
	if p != nil && p.memory != nil {
		m := p.memory
		m.synced.Observed(m.token, m.obj, part, m.now())
	}
}

// OutOfSync makes Synced report reason and message for this pass: the pass
// found Partner Center out of line with the spec (and set it back), which
// Synced shows until a later pass finds it in line.
func (p *Pass) OutOfSync(reason status.Reason, message string) {
	p.outOfSync = &status.Outcome{Reason: reason, Message: message}
}

// Drift is OutOfSync with a Warning event of eventReason when the drift is
// new (not what Synced already reports).
func (p *Pass) Drift(reason status.Reason, eventReason, message string) {
	p.OutOfSync(reason, message)
	p.event = eventReason
}

// reportOutOfSync writes what a step recorded over the pass's own Synced.
// found is Synced as the pass found it: drift found again, unchanged, keeps
// its transition time and emits no second event, so the status write of an
// idle object is a no-op.
func (p *Pass) reportOutOfSync(r Reporter, obj Object, found *metav1.Condition) {
	if p.outOfSync == nil {
		return
	}
	o := p.outOfSync
	same := found != nil && found.Status == metav1.ConditionFalse && found.Reason == o.Reason.Name && found.Message == o.Message
	if p.event != "" && !same {
		r.Event(obj, corev1.EventTypeWarning, p.event, "%s", o.Message)
	}
	status.MarkFalse(obj, v1alpha1.ConditionSynced, o.Reason, o.Message)
	if same {
		status.Get(obj, v1alpha1.ConditionSynced).LastTransitionTime = found.LastTransitionTime
	}
}

// Steps runs the steps of a live pass in order. The first step that must
// wait decides the outcome; the steps after it still run, so status is
// current. An error stops the pass.
func Steps[T, P any](ctx context.Context, obj T, p P, steps ...func(context.Context, T, P) (*Halt, error)) (*Halt, error) {
	var first *Halt
	for _, step := range steps {
		h, err := step(ctx, obj, p)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = h
		}
	}
	return first, nil
}

// InvalidSpec is the halt for a spec that breaks the admission rules; nil when errs is empty.
func InvalidSpec(errs field.ErrorList) *Halt {
	if len(errs) == 0 {
		return nil
	}
	return WaitFor(status.ReasonInvalidSpec, time.Time{}, "%s", validation.Message(errs))
}

// InvalidSpecOf is InvalidSpec for a kind whose own progress condition
// (condType) must also say that the spec is what holds it.
func InvalidSpecOf(obj status.Object, condType string, errs field.ErrorList) *Halt {
	h := InvalidSpec(errs)
	if h != nil {
		status.MarkFalse(obj, condType, status.ReasonInvalidSpec, "The spec breaks a rule; see Ready.")
	}
	return h
}

// StillRefused keeps a refusal Partner Center gave for this generation,
// recorded in condType with reason, so nothing is sent again until the spec
// changes (a new generation).
func StillRefused(obj status.Object, condType string, reason status.Reason) *Halt {
	cond := status.Get(obj, condType)
	if cond == nil || cond.Reason != reason.Name || cond.Status == metav1.ConditionTrue || cond.ObservedGeneration != obj.GetGeneration() {
		return nil
	}
	return WaitFor(reason, time.Time{}, "%s", cond.Message)
}

// WaitingSince is when obj started waiting in condType (its last
// transition), or now when it is not waiting there yet: slow polls grow with it.
func WaitingSince(obj status.Object, condType string, now time.Time) time.Time {
	if cond := status.Get(obj, condType); cond != nil && cond.Status != metav1.ConditionTrue {
		return cond.LastTransitionTime.Time
	}
	return now
}

// RequestID derives a stable MS-RequestId for one intent of an object (the
// resource's plural name, its UID and what the intent is), so a retried
// intent replays the same call and a new intent gets a new ID.
func RequestID(resource string, obj client.Object, intent string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("partnercenter.csp.dev/"+resource+"/"+string(obj.GetUID())+"/"+intent)).String()
}

// PatchMetadata applies mutate to a copy of obj with a merge patch and takes
// back only the resulting metadata: the status computed in this pass stays
// as it is, for the one status write at the end. opts can add the optimistic
// lock.
func PatchMetadata[T client.Object](ctx context.Context, c client.Client, obj T, mutate func(T), opts ...client.MergeFromOption) error {
	changed := obj.DeepCopyObject().(T)
	patch := client.MergeFromWithOptions(obj.DeepCopyObject().(T), opts...)
	mutate(changed)
	if err := c.Patch(ctx, changed, patch); err != nil {
		return err
	}
	*metaOf(obj) = *metaOf(changed)
	return nil
}

// metaOf is the ObjectMeta every kind of this API embeds.
func metaOf(obj client.Object) *metav1.ObjectMeta {
	return obj.(metav1.ObjectMetaAccessor).GetObjectMeta().(*metav1.ObjectMeta)
}

// AddFinalizer puts the finalizer on obj, with the optimistic lock so
// another finalizer added meanwhile is not overwritten.
func AddFinalizer[T client.Object](ctx context.Context, c client.Client, obj T) error {
	if controllerutil.ContainsFinalizer(obj, v1alpha1.Finalizer) {
		return nil
	}
	return PatchMetadata(ctx, c, obj, func(o T) { controllerutil.AddFinalizer(o, v1alpha1.Finalizer) }, client.MergeFromWithOptimisticLock{})
}

// ReleaseFinalizer lets obj go, with the optimistic lock (as AddFinalizer);
// an object already gone is no error.
func ReleaseFinalizer[T client.Object](ctx context.Context, c client.Client, obj T) error {
	if !controllerutil.ContainsFinalizer(obj, v1alpha1.Finalizer) {
		return nil
	}
	err := PatchMetadata(ctx, c, obj, func(o T) { controllerutil.RemoveFinalizer(o, v1alpha1.Finalizer) }, client.MergeFromWithOptimisticLock{})
	return client.IgnoreNotFound(err)
}
