package phase

import (
	"hash/fnv"
	"math"
	"slices"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// SyncCache remembers, per object, the last full pass that ended Ready, so a
// settled object woken again (its own status write, a resync of the
// informer, a change of a watched object that does not concern it) makes
// zero Partner Center calls and zero API-server writes until the resync
// period has passed. A change that matters invalidates the entry: a new
// generation, the paused annotation, deletion, or a reconciler's Forget when
// a watched object it depends on changed. A Forget that comes while a pass
// is running also keeps that pass from being remembered: it may have read
// the watched object before the change. It also remembers the version each
// pass left an object at (Left), so the lifecycle reads a cached copy at
// another version again, uncached (Behind). And it remembers what passes
// observed in Partner Center (Observed): a pass that follows soon after,
// woken by a change in the cluster, need not read again what the change
// feed (ForgetObserved) or the resync would have shown changed. The zero
// value is ready to use.
type SyncCache struct {
	mu      sync.Mutex
	entries map[types.NamespacedName]syncEntry
	// left is, per object, the resourceVersion this process's last pass
	// left it at (its own writes included): a cached copy at another version
	// may be older than those writes.
	left map[types.NamespacedName]string
	// forgets counts the Forgets per key; a pass begun at an older count is
	// not remembered.
	forgets map[types.NamespacedName]uint64
	// observed is, per object, when a pass last read each named part of it
	// in Partner Center, and at which generation of its spec. (A kind
	// observes a part or two: a short slice costs a fraction of a map per
	// object in a book of thousands.)
	observed map[types.NamespacedName][]observation
}

// observation is what a pass read of one part of an object.
type observation struct {
	part string
	syncEntry
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
	left := e.at.Add(spread(obj.GetUID(), resync)).Sub(now)
	return left, current == e && left > 0
}

// spread is the object's own resync period: resync ±20 %, fixed per object
// (by its UID), so a book settled in one afternoon is not swept again all
// at the same moment every period, and each object keeps a steady period.
func spread(uid types.UID, resync time.Duration) time.Duration {
	h := fnv.New32a()
	h.Write([]byte(uid))
	share := float64(h.Sum32()) / float64(math.MaxUint32) // 0..1
	return time.Duration(float64(resync) * (0.8 + 0.4*share))
}

// gone forgets everything about an object that no longer exists: no pass
// of it is running (this is its pass), and none is to be remembered.
func (s *SyncCache) gone(key types.NamespacedName) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, key)
	delete(s.forgets, key)
	delete(s.left, key)
	delete(s.observed, key)
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

// ForgetObserved is Forget for a change in Partner Center (the change feed
// named the object): what passes observed there is read again too.
func (s *SyncCache) ForgetObserved(key types.NamespacedName) {
	s.Forget(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.observed, key)
}

// Observed records that the pass begun with pass read part (a name the
// kind chooses) of obj in Partner Center at now, unless a Forget of the
// object came after the pass began: the read may predate that change.
func (s *SyncCache) Observed(pass PassToken, obj client.Object, part string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.forgets[pass.key] != pass.forgets {
		return
	}
	if s.observed == nil {
		s.observed = map[types.NamespacedName][]observation{}
	}
	seen := s.observed[pass.key]
	seen = slices.DeleteFunc(seen, func(o observation) bool { return o.part == part })
	s.observed[pass.key] = append(seen, observation{part: part, syncEntry: entryOf(obj, now)})
}

// Recent tells whether part of obj was observed in Partner Center within
// resync, at the object's current generation, and not forgotten since
// (ForgetObserved): reading it again would show nothing new unless the
// change feed missed a change, which the resync is there to catch.
func (s *SyncCache) Recent(obj client.Object, part string, now time.Time, resync time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.observed[client.ObjectKeyFromObject(obj)] {
		if o.part == part {
			return resync > 0 && entryOf(obj, o.at) == o.syncEntry && now.Sub(o.at) < resync
		}
	}
	return false
}

// Left records the version a pass left the object at, after its last write.
func (s *SyncCache) Left(obj client.Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.left == nil {
		s.left = map[types.NamespacedName]string{}
	}
	s.left[client.ObjectKeyFromObject(obj)] = obj.GetResourceVersion()
}

// Behind tells whether a cached copy may be older than what this process
// last wrote of the object: it is not the version the last pass left. (A
// newer version, someone else's write, cannot be told from an older one:
// resourceVersions are opaque, so both are read again.)
func (s *SyncCache) Behind(obj client.Object) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	left, ok := s.left[client.ObjectKeyFromObject(obj)]
	return ok && left != obj.GetResourceVersion()
}
