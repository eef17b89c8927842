package pcsim

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// amrMFA is the amr claim value of an MFA sign-in.
const amrMFA = "mfa"

// mfaEnforcedFrom: every App+User call needs an MFA token from 1 April 2026 [doc].
var mfaEnforcedFrom = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// appOnlyOperation reports the operations that refuse App+User tokens (the
// enhanced attestation flow supports App-only only).
func appOnlyOperation(op string) bool { return slices.Contains(pc.AttestationOperations, op) }

// mfaRefusal answers 401 900421 to an App+User token without the MFA claim
// once MFA is enforced. Choice: the newer error shape, errorName
// "MfaRequired"; partners report only the status and the code. Callers hold s.mu.
func (s *Simulator) mfaRefusal(c claims) (reply, bool) {
	if !c.appUser() || slices.Contains(c.Amr, amrMFA) || s.clock.Now().Before(mfaEnforcedFrom) {
		return reply{}, false
	}
	code, _ := strconv.Atoi(pc.CodeMFARequired)
	rep := newError(http.StatusUnauthorized, code, "MfaRequired",
		"The App+User token lacks multi-factor authentication: sign in with MFA and consent again to obtain a new refresh token.")
	rep.header = http.Header{"Www-Authenticate": {"OAuth realm=urn:cpsvc:cpid:" + s.cfg.PartnerTenantID}}
	return rep, true
}
