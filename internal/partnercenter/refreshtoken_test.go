package partnercenter

import (
	"context"
	"errors"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// secretData is a credentials Secret's data as a TokenStore sees it: each
// store replaces the token and its issue time together, or fails whole.
type secretData struct {
	mu   sync.Mutex
	data map[string][]byte
	fail error
}

func (s *secretData) StoreRefreshToken(_ context.Context, token string, issuedAt time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	next := maps.Clone(s.data)
	next[SecretKeyRefreshToken] = []byte(token)
	next[SecretKeyRefreshTokenIssuedAt] = []byte(issuedAt.UTC().Format(time.RFC3339))
	s.data = next
	return nil
}

func (s *secretData) snapshot() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.data)
}

// appUserToken builds the App+User credential from Secret data, as a (re)start does.
func appUserToken(t *testing.T, data map[string][]byte) (*RefreshTokenCredential, error) {
	t.Helper()
	creds, err := CredentialsFromSecretData(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	cred := creds.AppUser.(*RefreshTokenCredential)
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{})
	return cred, err
}

func TestRotatedRefreshTokenIsStoredAndARestartKeepsWorking(t *testing.T) {
	// The fake endpoint accepts only the latest refresh token: a restart with a lost rotation fails.
	idp := newFakeTokenEndpoint(t, "rt-stored", 3600)
	initial := map[string][]byte{SecretKeyTenantID: []byte("t"), SecretKeyClientID: []byte("c"), SecretKeyRefreshToken: []byte("rt-stored"), SecretKeyAuthorityHost: []byte(idp.URL)}
	secret := &secretData{data: maps.Clone(initial)}

	creds, err := CredentialsFromSecretData(secret.snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cred := creds.AppUser.(*RefreshTokenCredential)
	cred.PersistRotationsTo(secret)
	before := time.Now().Add(-time.Second)
	if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{}); err != nil {
		t.Fatal(err)
	}
	stored := secret.snapshot()
	if string(stored[SecretKeyRefreshToken]) != "rt-n" {
		t.Fatalf("the Secret holds %q, want the rotated token", stored[SecretKeyRefreshToken])
	}
	issued, err := time.Parse(time.RFC3339, string(stored[SecretKeyRefreshTokenIssuedAt]))
	if err != nil || issued.Before(before.Truncate(time.Second)) || issued.After(time.Now()) {
		t.Fatalf("issued at %q (%v)", stored[SecretKeyRefreshTokenIssuedAt], err)
	}
	reread, err := CredentialsFromSecretData(stored, nil)
	if err != nil || !reread.AppUser.(*RefreshTokenCredential).IssuedAt().Equal(issued) {
		t.Fatalf("a restart does not date the token from the Secret (%v)", err)
	}

	// Restart: a new process reads the Secret and redeems what it holds.
	if _, err := appUserToken(t, stored); err != nil {
		t.Fatalf("a restart after the rotation lost access: %v", err)
	}
	// Without the write-back the restart would have failed.
	if _, err := appUserToken(t, initial); err == nil {
		t.Fatal("the old token still works: the test proves nothing")
	}
}

func TestFailedStoreKeepsTheOldTokenAndTheSecretWhole(t *testing.T) {
	idp := newFakeTokenEndpoint(t, "rt-stored", "0")
	initial := map[string][]byte{SecretKeyTenantID: []byte("t"), SecretKeyClientID: []byte("c"), SecretKeyRefreshToken: []byte("rt-stored"), SecretKeyAuthorityHost: []byte(idp.URL)}
	secret := &secretData{data: maps.Clone(initial), fail: errors.New("the API server is unreachable")}
	creds, err := CredentialsFromSecretData(secret.snapshot(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cred := creds.AppUser.(*RefreshTokenCredential)
	cred.PersistRotationsTo(secret)
	failures := testutil.ToFloat64(rotationsFailed)
	if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{}); err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(secret.snapshot(), initial, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Fatal("a failed store changed the Secret")
	}
	if got := testutil.ToFloat64(rotationsFailed); got != failures+1 {
		t.Errorf("store failures counted %v, want %v", got, failures+1)
	}
	_, _ = cred.GetToken(context.Background(), policy.TokenRequestOptions{}) // expires_in 0: refreshes again
	if got := idp.forms[1]["refresh_token"]; got != "rt-stored" {
		t.Errorf("after a failed store the credential sent %q, want the stored token it kept", got)
	}
}
