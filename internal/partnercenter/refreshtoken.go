package partnercenter

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// RefreshTokenLifetime is how long an unused App+User refresh token stays
// valid (Entra's 90-day inactivity limit; every rotation starts it again).
const RefreshTokenLifetime = 90 * 24 * time.Hour

// RefreshTokenWarning is how long before RefreshTokenLifetime runs out the
// operator warns: from day 76 of a token's life.
const RefreshTokenWarning = 14 * 24 * time.Hour

// TokenStore keeps the App+User refresh token where a restart finds it (the
// credentials Secret). StoreRefreshToken must replace the token and its
// issue time in one write, so the store never holds half of a rotation.
type TokenStore interface {
	StoreRefreshToken(ctx context.Context, refreshToken string, issuedAt time.Time) error
}

// storeTimeout bounds one TokenStore write during a token refresh.
const storeTimeout = 10 * time.Second

// rotationsFailed counts rotated refresh tokens that could not be stored.
var rotationsFailed = prometheus.NewCounter(prometheus.CounterOpts{
	Name: "partnercenter_refresh_token_store_failures_total",
	Help: "Rotated App+User refresh tokens that could not be written to the credentials Secret (the previous token stays in use).",
})

// RefreshTokenCollectors are the credential's metrics, for registration.
func RefreshTokenCollectors() []prometheus.Collector { return []prometheus.Collector{rotationsFailed} }

// PersistRotationsTo makes every refresh token Entra rotates in be written to
// store before the credential uses it. Set it before the first call.
func (r *RefreshTokenCredential) PersistRotationsTo(store TokenStore) {
	r.refresher.mu.Lock()
	defer r.refresher.mu.Unlock()
	r.refresher.store = store
}

// IssuedAt is when the refresh token in use was issued (or first seen).
func (r *RefreshTokenCredential) IssuedAt() time.Time {
	r.refresher.mu.Lock()
	defer r.refresher.mu.Unlock()
	return r.refresher.issuedAt
}

// rotate switches to a rotated refresh token. With a store the new token is
// stored first and the old one dropped only then: if the write fails the old
// token (still valid at Entra) stays in use and the Secret keeps it, so a
// restart never finds a token the process had no time to store. The token
// is never logged; the failure is counted.
func (s *refreshTokenSource) rotate(rotated string) {
	s.mu.Lock()
	store := s.store
	s.mu.Unlock()
	now := time.Now()
	if store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := store.StoreRefreshToken(ctx, rotated, now); err != nil {
			rotationsFailed.Inc()
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshToken, s.issuedAt = rotated, now
}
