package partnercenter

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// fakeTokenEndpoint is an Entra v2 token endpoint that accepts one refresh token at a time
// and rotates it on every redemption.
type fakeTokenEndpoint struct {
	*httptest.Server
	mu        sync.Mutex
	current   string
	issued    int
	expiresIn any
	forms     []map[string]string
}

func newFakeTokenEndpoint(t *testing.T, refreshToken string, expiresIn any) *fakeTokenEndpoint {
	f := &fakeTokenEndpoint{current: refreshToken, expiresIn: expiresIn}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeTokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_ = r.ParseForm()
	form := map[string]string{"path": r.URL.Path}
	for k := range r.PostForm {
		form[k] = r.PostForm.Get(k)
	}
	f.forms = append(f.forms, form)
	w.Header().Set("Content-Type", "application/json")
	if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != f.current {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "AADSTS70000: The provided grant is invalid.\nTrace ID: x"})
		return
	}
	f.issued++
	f.current = "rt-" + strings.Repeat("n", f.issued)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"token_type": "Bearer", "scope": "user_impersonation", "expires_in": f.expiresIn,
		"access_token": "at-" + strings.Repeat("n", f.issued), "refresh_token": f.current,
	})
}

func TestRefreshTokenCredentialRedeemsCachesAndRotates(t *testing.T) {
	idp := newFakeTokenEndpoint(t, "rt-stored", 3600)
	cred, err := NewRefreshTokenCredential(RefreshTokenOptions{
		TenantID: "partner-tenant", ClientID: "app-id", ClientSecret: "app-secret",
		RefreshToken: "rt-stored", AuthorityHost: idp.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{wire.ScopeAppUser}})
		if err != nil || tok.Token != "at-n" {
			t.Fatalf("GetToken = %q, %v", tok.Token, err)
		}
	}
	if idp.issued != 1 {
		t.Errorf("token endpoint hit %d times, want 1 (cached)", idp.issued)
	}
	form := idp.forms[0]
	if form["path"] != "/partner-tenant/oauth2/v2.0/token" || form["client_id"] != "app-id" || form["client_secret"] != "app-secret" {
		t.Errorf("token request = %v", form)
	}
	if !strings.Contains(form["scope"], wire.ScopeAppUser) || !strings.Contains(form["scope"], "offline_access") {
		t.Errorf("scope = %q", form["scope"])
	}
}

func TestRefreshTokenCredentialUsesRotatedTokenAfterExpiry(t *testing.T) {
	// v1-style string expires_in of 0: every GetToken must refresh, with the rotated token.
	idp := newFakeTokenEndpoint(t, "rt-stored", "0")
	cred, err := NewRefreshTokenCredential(RefreshTokenOptions{TenantID: "t", ClientID: "c", RefreshToken: "rt-stored", AuthorityHost: idp.URL})
	if err != nil {
		t.Fatal(err)
	}
	for want := range []string{"at-n", "at-nn"} {
		tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{})
		if err != nil || tok.Token != []string{"at-n", "at-nn"}[want] {
			t.Fatalf("GetToken #%d = %q, %v", want, tok.Token, err)
		}
	}
	if _, ok := idp.forms[0]["client_secret"]; ok {
		t.Error("public client sent a client_secret")
	}
}

func TestRefreshTokenCredentialErrorHidesSecrets(t *testing.T) {
	idp := newFakeTokenEndpoint(t, "another-token", 3600)
	cred, err := NewRefreshTokenCredential(RefreshTokenOptions{TenantID: "t", ClientID: "c", ClientSecret: "s3cret", RefreshToken: "rt-revoked", AuthorityHost: idp.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{})
	if err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "rt-revoked") || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "Trace ID") {
		t.Errorf("error leaks: %v", err)
	}
}

func TestCredentialsFromSecretData(t *testing.T) {
	tests := []struct {
		name        string
		data        map[string]string
		wantErr     bool
		wantAppOnly bool
		wantAppUser bool
		wantARM     bool
	}{
		{"simulator tokens", map[string]string{SecretKeyAppOnlyToken: "a", SecretKeyAppUserToken: "u"}, false, true, true, false},
		{"client secret and refresh token", map[string]string{SecretKeyTenantID: "t", SecretKeyClientID: "c", SecretKeyClientSecret: "s", SecretKeyRefreshToken: "rt-stored", SecretKeyAuthorityHost: "https://login.example.invalid"}, false, true, true, true},
		{"refresh token only (public client)", map[string]string{SecretKeyTenantID: "t", SecretKeyClientID: "c", SecretKeyRefreshToken: "rt-stored"}, false, false, true, false},
		{"client secret without ids", map[string]string{SecretKeyClientSecret: "hunter2"}, true, false, false, false},
		{"refresh token without ids", map[string]string{SecretKeyRefreshToken: "hunter2"}, true, false, false, false},
		{"empty", map[string]string{}, true, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := map[string][]byte{}
			for k, v := range tt.data {
				data[k] = []byte(v)
			}
			creds, err := CredentialsFromSecretData(data, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error leaks a secret value: %v", err)
				}
				return
			}
			if (creds.AppOnly != nil) != tt.wantAppOnly || (creds.AppUser != nil) != tt.wantAppUser || (creds.ARM != nil) != tt.wantARM {
				t.Errorf("creds = %+v", creds)
			}
		})
	}
}

// TestWorkloadIdentityCredentials: the pod's federated identity serves
// app-only and ARM calls; a refresh token in the optional Secret still serves
// App+User calls; without the projected token file there is no credential.
func TestWorkloadIdentityCredentials(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "azure-identity-token")
	if err := os.WriteFile(tokenFile, []byte("federated-sa-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		tokenFile   string
		data        map[string][]byte
		wantErr     bool
		wantAppUser bool
	}{
		{"webhook environment, no Secret", tokenFile, nil, false, false},
		{"ids from the Secret, refresh token for App+User", tokenFile, map[string][]byte{SecretKeyTenantID: []byte("t"), SecretKeyClientID: []byte("c"), SecretKeyRefreshToken: []byte("rt")}, false, true},
		{"no projected token", "", nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AZURE_FEDERATED_TOKEN_FILE", tt.tokenFile)
			t.Setenv("AZURE_TENANT_ID", "partner-tenant")
			t.Setenv("AZURE_CLIENT_ID", "app-id")
			creds, err := WorkloadIdentityCredentials(tt.data, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				return
			}
			if _, ok := creds.AppOnly.(*azidentity.WorkloadIdentityCredential); !ok {
				t.Errorf("app-only credential is %T, want workload identity", creds.AppOnly)
			}
			if creds.ARM != creds.AppOnly {
				t.Error("ARM calls do not use the workload identity")
			}
			if (creds.AppUser != nil) != tt.wantAppUser {
				t.Errorf("App+User credential = %v, want one: %v", creds.AppUser, tt.wantAppUser)
			}
		})
	}
}

// TestAppUserCredentialEndToEnd runs an App+User call with a Secret-built refresh-token credential.
func TestAppUserCredentialEndToEnd(t *testing.T) {
	idp := newFakeTokenEndpoint(t, "rt-stored", 3600)
	creds, err := CredentialsFromSecretData(map[string][]byte{
		SecretKeyTenantID: []byte("t"), SecretKeyClientID: []byte("c"),
		SecretKeyRefreshToken: []byte("rt-stored"), SecretKeyAuthorityHost: []byte(idp.URL),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := newFakeServer(t, reply{status: 200, body: `{"isSigned":true}`})
	c := newTestClient(t, srv.URL, func(o *Options) { o.AppOnly = nil; o.AppUser = creds.AppUser })
	st, err := c.GetDirectSignedStatus(context.Background(), "cust-1")
	if err != nil || !st.IsSigned {
		t.Fatalf("GetDirectSignedStatus = %+v, %v", st, err)
	}
	if got := srv.last(t).Header.Get("Authorization"); got != "Bearer at-n" {
		t.Errorf("Authorization = %q", got)
	}
}
