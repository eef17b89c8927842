package credentials

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

var secretKey = types.NamespacedName{Namespace: "partnercenter-system", Name: "partnercenter-credentials"}

func TestSecretStoreReplacesTokenAndIssueTimeTogether(t *testing.T) {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: secretKey.Namespace, Name: secretKey.Name}, Data: map[string][]byte{
		partnercenter.SecretKeyTenantID: []byte("t"), partnercenter.SecretKeyClientID: []byte("c"),
		partnercenter.SecretKeyRefreshToken: []byte("rt-old"), partnercenter.SecretKeyRefreshTokenIssuedAt: []byte("2026-09-01T00:00:00Z"),
	}}
	conflicts := 1 // the first update loses a race with another writer
	var updates []map[string][]byte
	c := fake.NewClientBuilder().WithObjects(secret).WithInterceptorFuncs(interceptor.Funcs{
		Update: func(ctx context.Context, cl client.WithWatch, obj client.Object, opts ...client.UpdateOption) error {
			if conflicts > 0 {
				conflicts--
				return apierrors.NewConflict(corev1.Resource("secrets"), secretKey.Name, fmt.Errorf("the object has been modified"))
			}
			updates = append(updates, obj.(*corev1.Secret).Data)
			return cl.Update(ctx, obj, opts...)
		},
	}).Build()
	issued := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	if err := (SecretStore{Client: c, Secret: secretKey}).StoreRefreshToken(context.Background(), "rt-new", issued); err != nil {
		t.Fatal(err)
	}
	if len(updates) != 1 {
		t.Fatalf("%d updates reached the API server, want one after the conflict", len(updates))
	}
	got := &corev1.Secret{}
	if err := c.Get(context.Background(), secretKey, got); err != nil {
		t.Fatal(err)
	}
	if string(got.Data[partnercenter.SecretKeyRefreshToken]) != "rt-new" || string(got.Data[partnercenter.SecretKeyRefreshTokenIssuedAt]) != "2026-12-07T06:00:00Z" {
		t.Errorf("the Secret holds %q issued %q", got.Data[partnercenter.SecretKeyRefreshToken], got.Data[partnercenter.SecretKeyRefreshTokenIssuedAt])
	}
	if string(got.Data[partnercenter.SecretKeyClientID]) != "c" {
		t.Error("the other keys were lost")
	}

	var logged strings.Builder
	logf.SetLogger(funcr.New(func(prefix, args string) { logged.WriteString(prefix + " " + args + "\n") }, funcr.Options{}))
	missing := SecretStore{Client: fake.NewClientBuilder().Build(), Secret: secretKey}
	err := missing.StoreRefreshToken(context.Background(), "rt-secret-value", issued)
	if err == nil || strings.Contains(err.Error(), "rt-secret-value") {
		t.Errorf("error %v: want a failure that does not carry the token", err)
	}
	if !strings.Contains(logged.String(), "storing the rotated refresh token in Secret "+secretKey.String()) || strings.Contains(logged.String(), "rt-secret-value") {
		t.Errorf("log %q: want why the store failed, without the token", logged.String())
	}
}

// issuedAt is a fixed token issue time.
type issuedAt time.Time

func (i issuedAt) IssuedAt() time.Time { return time.Time(i) }

// recordedEvent is one event a test recorder saw.
type recordedEvent struct{ eventType, reason, note string }

// eventRecorder records events.
type eventRecorder struct{ events []recordedEvent }

func (r *eventRecorder) Eventf(_ runtime.Object, _ runtime.Object, eventType, reason, _ string, note string, args ...interface{}) {
	r.events = append(r.events, recordedEvent{eventType, reason, fmt.Sprintf(note, args...)})
}

func TestAgeMonitorWarnsFromDay76(t *testing.T) {
	issued := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	clock := clocktesting.NewFakePassiveClock(issued.Add(75 * 24 * time.Hour))
	rec := &eventRecorder{}
	m := &AgeMonitor{Token: issuedAt(issued), Secret: secretKey, Recorder: rec, Clock: clock, Log: logr.Discard()}

	if m.Check() || len(rec.events) != 0 || testutil.ToFloat64(refreshTokenExpiring) != 0 {
		t.Fatalf("warned on day 75: %+v", rec.events)
	}
	if age := testutil.ToFloat64(refreshTokenAge); age != (75 * 24 * time.Hour).Seconds() {
		t.Errorf("age metric %v", age)
	}
	clock.SetTime(issued.Add(76 * 24 * time.Hour))
	if !m.Check() || testutil.ToFloat64(refreshTokenExpiring) != 1 {
		t.Fatal("no warning on day 76")
	}
	if len(rec.events) != 1 || rec.events[0].eventType != corev1.EventTypeWarning || rec.events[0].reason != EventRefreshTokenExpiring ||
		!strings.Contains(rec.events[0].note, "14 days left") || !strings.Contains(rec.events[0].note, "MFA") {
		t.Fatalf("events %+v", rec.events)
	}
	clock.SetTime(issued.Add(76*24*time.Hour + time.Hour))
	m.Check()
	if len(rec.events) != 1 {
		t.Errorf("warned again within a day: %+v", rec.events)
	}
	clock.SetTime(issued.Add(77 * 24 * time.Hour))
	m.Check()
	if len(rec.events) != 2 {
		t.Errorf("no daily reminder: %+v", rec.events)
	}
}
