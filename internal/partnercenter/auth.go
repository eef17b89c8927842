package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"golang.org/x/oauth2"
)

// envFederatedTokenFile is where the Azure workload identity webhook tells
// the pod its projected service account token is.
const envFederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE"

// DefaultAuthorityHost is the Microsoft Entra ID authority for the public cloud.
const DefaultAuthorityHost = "https://login.microsoftonline.com"

// Keys of the credentials Secret read by CredentialsFromSecretData.
const (
	// SecretKeyTenantID is the partner's Entra tenant id (required for real credentials).
	SecretKeyTenantID = "tenantId"
	// SecretKeyClientID is the Entra application (client) id.
	SecretKeyClientID = "clientId"
	// SecretKeyClientSecret is the application's client secret; with tenantId+clientId it gives the app-only credential.
	SecretKeyClientSecret = "clientSecret"
	// SecretKeyRefreshToken is the Secure Application Model refresh token; with tenantId+clientId
	// (+clientSecret for confidential apps) it gives the App+User credential.
	SecretKeyRefreshToken = "refreshToken"
	// SecretKeyAuthorityHost optionally overrides DefaultAuthorityHost (sovereign clouds, tests).
	SecretKeyAuthorityHost = "authorityHost"
	// SecretKeyAppOnlyToken is a fixed app-only bearer token, for the simulator only.
	SecretKeyAppOnlyToken = "appOnlyToken"
	// SecretKeyAppUserToken is a fixed App+User bearer token, for the simulator only.
	SecretKeyAppUserToken = "appUserToken"
	// SecretKeyRefreshTokenIssuedAt is when refreshToken was issued (RFC 3339), written with
	// every rotated token; without it the token's age counts from when the operator first saw it.
	SecretKeyRefreshTokenIssuedAt = "refreshTokenIssuedAt"
)

// Credentials are the partner account's token credentials; either may be nil.
type Credentials struct {
	// AppOnly authenticates as the application (client credentials).
	AppOnly azcore.TokenCredential
	// AppUser authenticates as the application on behalf of the consenting partner user.
	AppUser azcore.TokenCredential
	// ARM authenticates Azure Resource Manager calls (C11's Cost Management
	// policy): the same application identity as AppOnly, asked for the ARM
	// scope. Nil with fixed simulator tokens.
	ARM azcore.TokenCredential
}

// CredentialsFromSecretData builds credentials from a Secret's data (keys SecretKey*). Fixed
// tokens (appOnlyToken/appUserToken) win over real credentials so a Secret can target the simulator.
// It errors when the data yields no credential at all. Errors name keys, never values.
func CredentialsFromSecretData(data map[string][]byte, httpClient *http.Client) (*Credentials, error) {
	get := secretValue(data)
	tenantID, clientID := get(SecretKeyTenantID), get(SecretKeyClientID)
	creds := &Credentials{}
	var err error
	switch {
	case get(SecretKeyAppOnlyToken) != "":
		creds.AppOnly = StaticTokenCredential(get(SecretKeyAppOnlyToken))
	case get(SecretKeyClientSecret) != "":
		if tenantID == "" || clientID == "" {
			return nil, fmt.Errorf("partnercenter: secret has %s but lacks %s or %s", SecretKeyClientSecret, SecretKeyTenantID, SecretKeyClientID)
		}
		creds.AppOnly, err = NewAppOnlyCredential(tenantID, clientID, get(SecretKeyClientSecret), get(SecretKeyAuthorityHost), httpClient)
		if err != nil {
			return nil, err
		}
		creds.ARM = creds.AppOnly
	}
	if creds.AppUser, err = appUserFromSecret(data, httpClient); err != nil {
		return nil, err
	}
	if creds.AppOnly == nil && creds.AppUser == nil {
		return nil, fmt.Errorf("partnercenter: secret has neither %s nor %s (nor a simulator token)", SecretKeyClientSecret, SecretKeyRefreshToken)
	}
	return creds, nil
}

// WorkloadIdentityCredentials authenticate app-only and ARM calls as the
// pod's federated workload identity (the AZURE_* environment the Azure
// workload identity webhook injects; tenantId and clientId in data, when
// present, win). data is optional: its refreshToken, if any, still gives the
// App+User credential, which workload identity cannot provide.
func WorkloadIdentityCredentials(data map[string][]byte, httpClient *http.Client) (*Credentials, error) {
	get := secretValue(data)
	appOnly, err := NewWorkloadIdentityCredential(get(SecretKeyTenantID), get(SecretKeyClientID))
	if err != nil {
		return nil, err
	}
	appUser, err := appUserFromSecret(data, httpClient)
	if err != nil {
		return nil, err
	}
	return &Credentials{AppOnly: appOnly, ARM: appOnly, AppUser: appUser}, nil
}

// appUserFromSecret is the App+User credential of the Secret's data: a fixed
// simulator token or the Secure Application Model refresh token; nil if neither.
func appUserFromSecret(data map[string][]byte, httpClient *http.Client) (azcore.TokenCredential, error) {
	get := secretValue(data)
	switch {
	case get(SecretKeyAppUserToken) != "":
		return StaticTokenCredential(get(SecretKeyAppUserToken)), nil
	case get(SecretKeyRefreshToken) != "":
		issuedAt, _ := time.Parse(time.RFC3339, get(SecretKeyRefreshTokenIssuedAt)) // absent or unreadable: first seen now
		return NewRefreshTokenCredential(RefreshTokenOptions{
			TenantID: get(SecretKeyTenantID), ClientID: get(SecretKeyClientID), ClientSecret: get(SecretKeyClientSecret),
			RefreshToken: get(SecretKeyRefreshToken), AuthorityHost: get(SecretKeyAuthorityHost), HTTPClient: httpClient,
			IssuedAt: issuedAt,
		})
	}
	return nil, nil
}

// secretValue reads a key of a Secret's data, trimmed (files often end in a newline).
func secretValue(data map[string][]byte) func(string) string {
	return func(key string) string { return strings.TrimSpace(string(data[key])) }
}

// NewAppOnlyCredential is an azidentity client-secret credential for the partner tenant. The client
// requests scope ScopeAppOnly with it. authorityHost may be empty; httpClient may be nil.
func NewAppOnlyCredential(tenantID, clientID, clientSecret, authorityHost string, httpClient *http.Client) (azcore.TokenCredential, error) {
	opts := &azidentity.ClientSecretCredentialOptions{}
	if authorityHost != "" {
		opts.Cloud.ActiveDirectoryAuthorityHost = authorityHost
	}
	if httpClient != nil {
		opts.Transport = httpClient
	}
	cred, err := azidentity.NewClientSecretCredential(tenantID, clientID, clientSecret, opts)
	if err != nil {
		return nil, fmt.Errorf("partnercenter: app-only credential: %w", err)
	}
	return cred, nil
}

// NewWorkloadIdentityCredential is an azidentity workload-identity credential (federated service
// account token, configured by the AZURE_* environment the webhook injects) for app-only calls.
func NewWorkloadIdentityCredential(tenantID, clientID string) (azcore.TokenCredential, error) {
	// azidentity only notices a missing token at the first call; say it at start-up, with the fix.
	if os.Getenv(envFederatedTokenFile) == "" {
		return nil, fmt.Errorf("partnercenter: workload identity: %s is not set; label the pod azure.workload.identity/use=true and annotate its service account with azure.workload.identity/client-id", envFederatedTokenFile)
	}
	cred, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{TenantID: tenantID, ClientID: clientID})
	if err != nil {
		return nil, fmt.Errorf("partnercenter: workload identity credential: %w", err)
	}
	return cred, nil
}

// StaticTokenCredential is a fixed bearer token (for the simulator). It never expires.
type StaticTokenCredential string

// GetToken implements azcore.TokenCredential.
func (s StaticTokenCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(24 * time.Hour)}, nil
}

// String hides the token.
func (s StaticTokenCredential) String() string { return "StaticTokenCredential([REDACTED])" }

// GoString hides the token in %#v output.
func (s StaticTokenCredential) GoString() string { return s.String() }

// RefreshTokenOptions configure the App+User credential.
type RefreshTokenOptions struct {
	// TenantID is the partner tenant id.
	TenantID string
	// ClientID is the application id the refresh token was issued to.
	ClientID string
	// ClientSecret is the application secret (empty for public clients).
	ClientSecret string
	// RefreshToken is the stored Secure Application Model refresh token.
	RefreshToken string
	// AuthorityHost defaults to DefaultAuthorityHost.
	AuthorityHost string
	// Scopes default to ScopeAppUser and offline_access.
	Scopes []string
	// HTTPClient sends token requests (default http.DefaultClient).
	HTTPClient *http.Client
	// IssuedAt is when RefreshToken was issued; zero means now (first seen).
	IssuedAt time.Time
}

// RefreshTokenCredential is the App+User credential: it redeems a stored refresh token at the
// Entra v2 token endpoint and caches the access token (oauth2.ReuseTokenSource) until shortly before
// it expires. A rotated refresh token returned by Entra replaces the old one once it is stored
// (PersistRotationsTo; in memory only without a store).
type RefreshTokenCredential struct {
	// source is safe for concurrent use: ReuseTokenSource serialises refreshes.
	source    oauth2.TokenSource
	refresher *refreshTokenSource
}

// NewRefreshTokenCredential builds the App+User credential.
func NewRefreshTokenCredential(o RefreshTokenOptions) (*RefreshTokenCredential, error) {
	if o.TenantID == "" || o.ClientID == "" || o.RefreshToken == "" {
		return nil, errors.New("partnercenter: App+User credential needs tenantId, clientId and refreshToken")
	}
	if o.AuthorityHost == "" {
		o.AuthorityHost = DefaultAuthorityHost
	}
	if len(o.Scopes) == 0 {
		o.Scopes = []string{wire.ScopeAppUser, "offline_access"}
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	refresher := &refreshTokenSource{
		tokenURL:     strings.TrimRight(o.AuthorityHost, "/") + "/" + url.PathEscape(o.TenantID) + "/oauth2/v2.0/token",
		clientID:     o.ClientID,
		clientSecret: o.ClientSecret,
		refreshToken: o.RefreshToken,
		scope:        strings.Join(o.Scopes, " "),
		httpClient:   o.HTTPClient,
		issuedAt:     o.IssuedAt,
	}
	if refresher.issuedAt.IsZero() {
		refresher.issuedAt = time.Now()
	}
	return &RefreshTokenCredential{source: oauth2.ReuseTokenSource(nil, refresher), refresher: refresher}, nil
}

// GetToken implements azcore.TokenCredential. The scope is fixed at construction.
func (r *RefreshTokenCredential) GetToken(_ context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := r.source.Token()
	if err != nil {
		return azcore.AccessToken{}, err
	}
	return azcore.AccessToken{Token: tok.AccessToken, ExpiresOn: tok.Expiry}, nil
}

// refreshTokenSource performs the refresh_token grant. It is hand-rolled rather than
// oauth2.Config.TokenSource because Entra v2 wants the scope on the refresh request and
// x/oauth2 does not send one.
type refreshTokenSource struct {
	tokenURL, clientID, clientSecret, scope string
	httpClient                              *http.Client
	// mu guards the refresh token, its issue time and the store (read by Token and IssuedAt).
	mu           sync.Mutex
	refreshToken string
	issuedAt     time.Time
	store        TokenStore
}

// tokenResponse is the Entra token endpoint answer (v2 sends numbers, v1 strings: json.Number takes both).
type tokenResponse struct {
	AccessToken      string      `json:"access_token"`
	RefreshToken     string      `json:"refresh_token"`
	TokenType        string      `json:"token_type"`
	ExpiresIn        json.Number `json:"expires_in"`
	Error            string      `json:"error"`
	ErrorDescription string      `json:"error_description"`
}

// Token implements oauth2.TokenSource; ReuseTokenSource serialises calls.
func (s *refreshTokenSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	current := s.refreshToken
	s.mu.Unlock()
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {s.clientID},
		"refresh_token": {current},
		"scope":         {s.scope},
	}
	if s.clientSecret != "" {
		form.Set("client_secret", s.clientSecret)
	}
	resp, err := s.httpClient.PostForm(s.tokenURL, form)
	if err != nil {
		// url.Error holds only the URL (no form values), so it is safe to return.
		return nil, fmt.Errorf("partnercenter: refresh token request: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var tr tokenResponse
	decodeErr := json.NewDecoder(resp.Body).Decode(&tr)
	if resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		// error and error_description carry no secret; the first line of the description suffices.
		desc, _, _ := strings.Cut(tr.ErrorDescription, "\n")
		return nil, fmt.Errorf("partnercenter: refresh token rejected: HTTP %d %s %s", resp.StatusCode, tr.Error, desc)
	}
	if decodeErr != nil {
		return nil, fmt.Errorf("partnercenter: decoding token response: %w", decodeErr)
	}
	if tr.RefreshToken != "" && tr.RefreshToken != current {
		s.rotate(tr.RefreshToken)
	}
	expiresIn, _ := tr.ExpiresIn.Int64()
	return &oauth2.Token{
		AccessToken: tr.AccessToken,
		TokenType:   tr.TokenType,
		Expiry:      time.Now().Add(time.Duration(expiresIn) * time.Second),
	}, nil
}
