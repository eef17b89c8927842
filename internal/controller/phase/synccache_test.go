package phase

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

func TestSyncCacheSkipsOnlyUnchangedObjects(t *testing.T) {
	var s SyncCache
	rp := &v1alpha1.ResellerPartnership{}
	rp.Name = "rp"
	rp.Namespace, rp.UID = "ns", "uid-1"
	resync := time.Hour
	if _, fresh := s.Fresh(rp, testNow, resync); fresh {
		t.Fatal("an object never settled is fresh")
	}
	s.Mark(s.Begin(client.ObjectKeyFromObject(rp)), rp, testNow)
	period := spread(rp.UID, resync)
	if left, fresh := s.Fresh(rp, testNow.Add(time.Minute), resync); !fresh || left != period-time.Minute {
		t.Fatalf("a settled object is not fresh (left %s)", left)
	}
	if _, fresh := s.Fresh(rp, testNow.Add(period), resync); fresh {
		t.Error("a settled object past its resync is still fresh")
	}
	changes := map[string]func(*v1alpha1.ResellerPartnership){
		"new generation": func(rp *v1alpha1.ResellerPartnership) { rp.Generation++ },
		"paused": func(rp *v1alpha1.ResellerPartnership) {
			rp.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
		},
		"deleting":   func(rp *v1alpha1.ResellerPartnership) { rp.DeletionTimestamp = &metav1.Time{Time: testNow} },
		"re-created": func(rp *v1alpha1.ResellerPartnership) { rp.UID = "uid-2" },
	}
	for what, change := range changes {
		changed := rp.DeepCopy()
		change(changed)
		if _, fresh := s.Fresh(changed, testNow.Add(time.Minute), resync); fresh {
			t.Errorf("%s: still fresh", what)
		}
	}
}

// A watched object changes while a pass runs (the pass read it before the
// change): the watch's Forget must win over the pass's Mark, or the object
// stays "fresh" with what it read before the change until its resync. (M6:
// a Customer whose attestation was accepted during its own pass kept
// AgreementAccepted=False for an hour; 1 in 5,000 in the N=5000 benchmark.)
func TestM6SyncCacheForgetDuringAPassWins(t *testing.T) {
	rp := &v1alpha1.ResellerPartnership{}
	rp.Name, rp.Namespace, rp.UID = "rp", "ns", "uid-1"
	key := client.ObjectKeyFromObject(rp)
	for _, tc := range []struct {
		name      string
		forget    func(*SyncCache)
		wantFresh bool
	}{
		{"no Forget during the pass", func(*SyncCache) {}, true},
		{"a Forget during the pass", func(s *SyncCache) { s.Forget(key) }, false},
		{"a Forget of another object", func(s *SyncCache) { s.Forget(types.NamespacedName{Namespace: "ns", Name: "other"}) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s SyncCache
			pass := s.Begin(key)
			tc.forget(&s)
			s.Mark(pass, rp, testNow)
			if _, fresh := s.Fresh(rp, testNow.Add(time.Minute), time.Hour); fresh != tc.wantFresh {
				t.Fatalf("fresh = %v, want %v", fresh, tc.wantFresh)
			}
			s.Mark(s.Begin(key), rp, testNow)
			if _, fresh := s.Fresh(rp, testNow.Add(time.Minute), time.Hour); !fresh {
				t.Fatal("the next pass, begun after the Forget, was not remembered")
			}
		})
	}
}

func TestSyncCacheTellsACopyOlderThanItsOwnLastWrite(t *testing.T) {
	var s SyncCache
	c := &v1alpha1.Customer{}
	c.Namespace, c.Name, c.ResourceVersion = "ns", "contoso", "7"
	if s.Behind(c) {
		t.Fatal("an object this process never wrote is behind")
	}
	s.Left(c)
	if s.Behind(c) {
		t.Fatal("the version the last pass left is behind")
	}
	stale := c.DeepCopy()
	stale.ResourceVersion = "6"
	if !s.Behind(stale) {
		t.Fatal("a copy at another version than the last pass left is not read again")
	}
	s.gone(client.ObjectKeyFromObject(c))
	if s.Behind(stale) {
		t.Error("an object that could not be read is still remembered")
	}
}

// What a pass observed in Partner Center stays known to the passes that
// follow for the resync period, at the same generation, until the change
// feed reports a change (ForgetObserved); a change in the cluster (Forget)
// re-runs the pass but keeps it.
func TestSyncCacheRemembersWhatPassesObserved(t *testing.T) {
	rp := &v1alpha1.ResellerPartnership{}
	rp.Name, rp.Namespace, rp.UID = "rp", "ns", "uid-1"
	key := client.ObjectKeyFromObject(rp)
	resync := time.Hour
	for _, tc := range []struct {
		name       string
		afterwards func(*SyncCache, *v1alpha1.ResellerPartnership) (at time.Time)
		wantRecent bool
	}{
		{"a minute later", func(*SyncCache, *v1alpha1.ResellerPartnership) time.Time { return testNow.Add(time.Minute) }, true},
		{"a change in the cluster woke it", func(s *SyncCache, _ *v1alpha1.ResellerPartnership) time.Time {
			s.Forget(key)
			return testNow.Add(time.Minute)
		}, true},
		{"the change feed named it", func(s *SyncCache, _ *v1alpha1.ResellerPartnership) time.Time {
			s.ForgetObserved(key)
			return testNow.Add(time.Minute)
		}, false},
		{"the resync is due", func(*SyncCache, *v1alpha1.ResellerPartnership) time.Time { return testNow.Add(resync) }, false},
		{"a new generation", func(_ *SyncCache, rp *v1alpha1.ResellerPartnership) time.Time {
			rp.Generation++
			return testNow.Add(time.Minute)
		}, false},
		{"the object is gone", func(s *SyncCache, _ *v1alpha1.ResellerPartnership) time.Time {
			s.gone(key)
			return testNow.Add(time.Minute)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s SyncCache
			obj := rp.DeepCopy()
			s.Observed(s.Begin(key), obj, "profile", testNow)
			at := tc.afterwards(&s, obj)
			if got := s.Recent(obj, "profile", at, resync); got != tc.wantRecent {
				t.Fatalf("Recent = %v, want %v", got, tc.wantRecent)
			}
			if s.Recent(obj, "another part", at, resync) {
				t.Fatal("a part never observed is recent")
			}
		})
	}
	t.Run("a change reported while the pass ran: its observation is not kept", func(t *testing.T) {
		var s SyncCache
		token := s.Begin(key)
		s.ForgetObserved(key)
		s.Observed(token, rp, "profile", testNow)
		if s.Recent(rp, "profile", testNow.Add(time.Minute), resync) {
			t.Fatal("an observation older than the reported change is recent")
		}
	})
}

// Each object has its own resync period within ±20 % of the configured one,
// the same on every pass; a book's periods spread over that range.
func TestResyncPeriodsSpreadPerObject(t *testing.T) {
	const resync = 24 * time.Hour
	if spread("uid-1", resync) != spread("uid-1", resync) {
		t.Fatal("an object's period changed between passes")
	}
	lowest, highest := resync*2, time.Duration(0)
	for i := range 1000 {
		p := spread(types.UID(fmt.Sprintf("uid-%d", i)), resync)
		if p < resync*8/10 || p > resync*12/10 {
			t.Fatalf("period %s outside 24 h ± 20 %%", p)
		}
		lowest, highest = min(lowest, p), max(highest, p)
	}
	if highest-lowest < resync*3/10 {
		t.Fatalf("1,000 objects' periods span only %s..%s", lowest, highest)
	}
}
