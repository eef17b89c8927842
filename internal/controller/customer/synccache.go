package customer

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// syncCache remembers, per Customer, the last full pass that ended Ready, so a
// settled Customer woken again (its own status write, a resync of the
// informer) makes zero Partner Center calls and zero API-server writes until
// the resync period has passed. A change that matters invalidates the entry:
// a new generation, the paused annotation, deletion, or a watched
// ResellerPartnership/MCAAttestation (forget).
type syncCache struct {
	entries sync.Map // types.NamespacedName → syncEntry
}

// syncEntry is what a full pass saw.
type syncEntry struct {
	uid        types.UID
	generation int64
	paused     bool
	at         time.Time
}

// entryOf describes the Customer as the cache keys it.
func entryOf(c *v1alpha1.Customer, at time.Time) syncEntry {
	return syncEntry{uid: c.UID, generation: c.Generation, paused: c.Annotations[v1alpha1.AnnotationPaused] == "true", at: at}
}

// fresh tells whether c was fully reconciled within resync and has not
// changed since; it returns how long until the resync is due.
func (s *syncCache) fresh(c *v1alpha1.Customer, now time.Time, resync time.Duration) (time.Duration, bool) {
	v, ok := s.entries.Load(client.ObjectKeyFromObject(c))
	if !ok || !c.DeletionTimestamp.IsZero() || resync <= 0 {
		return 0, false
	}
	e := v.(syncEntry)
	current := entryOf(c, e.at)
	left := e.at.Add(resync).Sub(now)
	return left, current == e && left > 0
}

// mark records a full pass that ended Ready.
func (s *syncCache) mark(c *v1alpha1.Customer, now time.Time) {
	s.entries.Store(client.ObjectKeyFromObject(c), entryOf(c, now))
}

// forget drops the entry, so the next reconcile of that Customer is a full pass.
func (s *syncCache) forget(key types.NamespacedName) { s.entries.Delete(key) }
