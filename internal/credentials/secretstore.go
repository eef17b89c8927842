// Package credentials keeps the operator's own Partner Center credentials
// usable over time: it writes the App+User refresh token that Entra rotates
// back to the credentials Secret, and warns before a refresh token reaches
// its 90-day limit. Token values never reach logs, events or errors.
package credentials

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// SecretStore writes a rotated refresh token to the credentials Secret. It
// implements partnercenter.TokenStore.
type SecretStore struct {
	// Client reads and updates the Secret (uncached: the Secret is read once per rotation).
	Client client.Client
	// Secret names the credentials Secret.
	Secret types.NamespacedName
}

var _ partnercenter.TokenStore = SecretStore{}

// StoreRefreshToken replaces refreshToken and refreshTokenIssuedAt in one
// update, so the Secret holds either the old pair or the new one, never half
// of each; an update conflict re-reads the Secret and tries again.
func (s SecretStore) StoreRefreshToken(ctx context.Context, refreshToken string, issuedAt time.Time) error {
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		secret := &corev1.Secret{}
		if err := s.Client.Get(ctx, s.Secret, secret); err != nil {
			return err
		}
		if secret.Data == nil {
			secret.Data = map[string][]byte{}
		}
		secret.Data[partnercenter.SecretKeyRefreshToken] = []byte(refreshToken)
		secret.Data[partnercenter.SecretKeyRefreshTokenIssuedAt] = []byte(issuedAt.UTC().Format(time.RFC3339))
		return s.Client.Update(ctx, secret)
	})
	if err != nil {
		// The API error names the Secret, never its data. It is logged here:
		// the client keeps the previous token and only counts the failure,
		// so this line is where an operator learns why (e.g. no RBAC).
		err = fmt.Errorf("storing the rotated refresh token in Secret %s: %w", s.Secret, err)
		logf.Log.WithName("credentials").Error(err, "the previous refresh token stays in use")
		return err
	}
	return nil
}
