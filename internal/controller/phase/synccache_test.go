package phase

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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
	s.Mark(rp, testNow)
	if left, fresh := s.Fresh(rp, testNow.Add(time.Minute), resync); !fresh || left != resync-time.Minute {
		t.Fatalf("a settled object is not fresh (left %s)", left)
	}
	if _, fresh := s.Fresh(rp, testNow.Add(resync), resync); fresh {
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
