package credentials

import (
	"context"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// EventRefreshTokenExpiring is the Warning event on the credentials Secret
// from RefreshTokenWarning before the refresh token's 90-day limit.
const EventRefreshTokenExpiring = "RefreshTokenExpiring"

// ageCheckInterval is how often the refresh token's age is looked at.
const ageCheckInterval = time.Hour

var (
	// refreshTokenAge is the App+User refresh token's age.
	refreshTokenAge = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "partnercenter_refresh_token_age_seconds",
		Help: "Age of the App+User refresh token in use (since issued, or first seen by this process when the Secret has no refreshTokenIssuedAt).",
	})
	// refreshTokenExpiring is 1 from 14 days before the 90-day limit.
	refreshTokenExpiring = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "partnercenter_refresh_token_expiring",
		Help: "1 when the App+User refresh token is within 14 days of its 90-day limit: consent again with an MFA sign-in and store the new token.",
	})
)

// Collectors are this package's metrics, for registration.
func Collectors() []prometheus.Collector {
	return append([]prometheus.Collector{refreshTokenAge, refreshTokenExpiring}, partnercenter.RefreshTokenCollectors()...)
}

// Aged is a credential whose token has an issue time.
type Aged interface{ IssuedAt() time.Time }

// AgeMonitor watches the refresh token's age: a metric always, and from day
// 76 (14 days before the 90-day limit) the expiring metric, a log line and a
// Warning event on the credentials Secret, at most once a day. A manager
// runnable.
type AgeMonitor struct {
	// Token is the App+User credential.
	Token Aged
	// Secret names the credentials Secret the events are about.
	Secret types.NamespacedName
	// Recorder emits the events; nil (no Secret named) emits none.
	Recorder events.EventRecorder
	// Clock is the time source.
	Clock clock.PassiveClock
	// Log receives the warning (never the token).
	Log logr.Logger

	warnedAt time.Time
}

// Start checks at once and then every hour until ctx ends.
func (m *AgeMonitor) Start(ctx context.Context) error {
	ticker := time.NewTicker(ageCheckInterval)
	defer ticker.Stop()
	for {
		m.Check()
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Check records the token's age and warns when it is close to its limit.
// It reports whether the token is expiring.
func (m *AgeMonitor) Check() bool {
	now := m.Clock.Now()
	age := now.Sub(m.Token.IssuedAt())
	refreshTokenAge.Set(age.Seconds())
	expiring := age >= partnercenter.RefreshTokenLifetime-partnercenter.RefreshTokenWarning
	if !expiring {
		refreshTokenExpiring.Set(0)
		return false
	}
	refreshTokenExpiring.Set(1)
	if !m.warnedAt.IsZero() && now.Sub(m.warnedAt) < 24*time.Hour {
		return true
	}
	m.warnedAt = now
	left := max(partnercenter.RefreshTokenLifetime-age, 0)
	note := "The App+User refresh token is %d days old and stops working after 90 days unused (%d days left): sign in with MFA, consent the application again and store the new refresh token in this Secret (docs/partner-center.md)."
	days, leftDays := int(age.Hours()/24), int(left.Hours()/24)
	m.Log.Info("the App+User refresh token is close to its 90-day limit", "ageDays", days, "daysLeft", leftDays, "secret", m.Secret.String())
	if m.Recorder == nil {
		return true // no Secret named: the log line and the metric say it
	}
	regarding := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: m.Secret.Namespace, Name: m.Secret.Name}}
	regarding.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	m.Recorder.Eventf(regarding, nil, corev1.EventTypeWarning, EventRefreshTokenExpiring, EventRefreshTokenExpiring, note, days, leftDays)
	return true
}
