package pcsim

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// TokenKind selects the credential a token represents.
type TokenKind int

const (
	// TokenAppOnly is an application token (client credentials).
	TokenAppOnly TokenKind = iota
	// TokenAppUser is a delegated App+User token (scp user_impersonation).
	TokenAppUser
	// TokenARM is an Azure Resource Manager token (aud https://management.azure.com), for the
	// cost-management policy call.
	TokenARM
	// TokenAppUserWithoutMFA is an App+User token minted from a sign-in without MFA: refused
	// with 401 900421 once MFA is enforced (mfa.go).
	TokenAppUserWithoutMFA
)

const (
	audiencePartnerCenter = "https://api.partnercenter.microsoft.com"
	audienceARM           = "https://management.azure.com"
	scopeUserImpersonate  = "user_impersonation"
	// simAppID is the application id carried by every simulator token.
	simAppID = "00000000-0000-0000-0000-00000000a99d"
	// ApplicationID is simAppID for the operator built on the simulator: the
	// records of its own writes carry it (the change feed skips them).
	ApplicationID = simAppID
	// simUserOID is the object id of the simulated partner user (App+User tokens; agreements' userId).
	simUserOID = "00000000-0000-0000-0000-0000000005e2"
)

// claims are the JWT claims the simulator issues and checks.
type claims struct {
	Aud   string `json:"aud"`
	Iss   string `json:"iss"`
	Tid   string `json:"tid"`
	AppID string `json:"appid"`
	OID   string `json:"oid,omitempty"`
	Scp   string `json:"scp,omitempty"`
	// Amr lists the sign-in methods; "mfa" marks an MFA sign-in.
	Amr []string `json:"amr,omitempty"`
}

// IssueToken returns an unsigned JWT-shaped bearer token of the given kind for this simulator's
// partner tenant. The simulator checks its shape, audience and tenant, not a signature or expiry.
func (s *Simulator) IssueToken(kind TokenKind) string {
	c := claims{Aud: audiencePartnerCenter, Tid: s.cfg.PartnerTenantID, AppID: simAppID,
		Iss: "https://sts.windows.net/" + s.cfg.PartnerTenantID + "/"}
	switch kind {
	case TokenAppUser:
		c.OID, c.Scp, c.Amr = simUserOID, scopeUserImpersonate, []string{"pwd", amrMFA}
	case TokenAppUserWithoutMFA:
		c.OID, c.Scp, c.Amr = simUserOID, scopeUserImpersonate, []string{"pwd"}
	case TokenARM:
		c.Aud = audienceARM
	}
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	payload, _ := json.Marshal(c) // claims always marshal
	return header + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

// parseBearer extracts the claims of an "Authorization: Bearer <jwt>" header; ok is false for
// anything that is not a well-formed simulator token of this partner tenant.
func (s *Simulator) parseBearer(authorization string) (claims, bool) {
	raw, found := strings.CutPrefix(authorization, "Bearer ")
	parts := strings.Split(strings.TrimSpace(raw), ".")
	if !found || len(parts) != 3 {
		return claims{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return claims{}, false
	}
	var c claims
	if json.Unmarshal(payload, &c) != nil || c.Tid != s.cfg.PartnerTenantID {
		return claims{}, false
	}
	return c, c.Aud == audiencePartnerCenter || c.Aud == audienceARM
}

// appUser reports whether the token is delegated (App+User).
func (c claims) appUser() bool { return c.Scp == scopeUserImpersonate }

// audienceFor is the audience an operation's token must carry.
func audienceFor(op string) string {
	if op == pc.OpSetCostManagementPolicy {
		return audienceARM
	}
	return audiencePartnerCenter
}
