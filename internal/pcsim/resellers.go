package pcsim

import (
	"maps"
	"net/http"
	"regexp"
	"slices"

	"github.com/google/uuid"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// numericMPN matches an MPN id (digits only).
var numericMPN = regexp.MustCompile(`^[0-9]+$`)

// resellerTenantNamespace derives stable tenant ids for unregistered resellers from their MPN id.
var resellerTenantNamespace = uuid.MustParse("6c1a4a0e-6a1f-4a53-9d1e-5e11e4000000")

// reseller returns the reseller with this MPN id, creating the default enrolled one for an
// unregistered numeric id. Callers hold s.mu.
func (s *Simulator) reseller(mpnID string) *resellerState {
	if r := s.resellers[mpnID]; r != nil {
		return r
	}
	r := &resellerState{Reseller: Reseller{
		MPNID: mpnID, Name: "Reseller " + mpnID,
		TenantID: uuid.NewSHA1(resellerTenantNamespace, []byte(mpnID)).String(),
	}}
	s.resellers[mpnID] = r
	return r
}

// activeResellerByTenant finds an Active reseller by tenant id. Callers hold s.mu.
func (s *Simulator) activeResellerByTenant(tenantID string) *resellerState {
	for _, r := range s.resellers {
		if r.active && r.TenantID == tenantID {
			return r
		}
	}
	return nil
}

// activeResellerByMPN finds an Active reseller by MPN id. Callers hold s.mu.
func (s *Simulator) activeResellerByMPN(mpnID string) *resellerState {
	if r := s.resellers[mpnID]; r != nil && r.active {
		return r
	}
	return nil
}

// getResellerAgreementStatus checks a reseller by mpnId (or tenantId of a known reseller):
// exactly one parameter (2000 both, 2001 neither), numeric MPN (2000), then 2200/2204/2203.
// A successful MPN check starts the PartnershipAcceptDelay.
func (s *Simulator) getResellerAgreementStatus(c *call) reply {
	q := c.r.URL.Query()
	mpnID, tenantID := q.Get("mpnId"), q.Get("tenantId")
	var r *resellerState
	switch {
	case mpnID != "" && tenantID != "":
		return invalidInput("Specify either mpnId or tenantId, not both.")
	case mpnID == "" && tenantID == "":
		return legacyError(http.StatusBadRequest, pc.CodeMissingParameter, "mpnId or tenantId is required.")
	case mpnID != "" && !numericMPN.MatchString(mpnID):
		return invalidInput("mpnId must be numeric.")
	case mpnID != "":
		r = s.reseller(mpnID)
	default:
		if r = s.resellerByTenant(tenantID); r == nil {
			return legacyError(http.StatusBadRequest, pc.CodeMPNInvalid, "The tenant "+tenantID+" is not a known partner.")
		}
	}
	switch {
	case r.NotMigrated:
		return legacyError(http.StatusBadRequest, pc.CodeMPNInvalid, "MPN ID "+r.MPNID+" is invalid or not migrated.")
	case r.NotCSPReseller:
		return legacyError(http.StatusBadRequest, pc.CodeMPNNotIndirectReseller, "MPN ID "+r.MPNID+" is not a CSP indirect reseller.")
	case r.MPAUnsigned:
		return legacyError(http.StatusBadRequest, pc.CodeMPANotSigned, "The Microsoft Partner Agreement is not signed for MPN ID "+r.MPNID+".")
	}
	if !r.checked {
		r.checked, r.checkedAt = true, c.now
		r.settle(s.cfg, c.now)
		s.track(r)
	}
	return jsonReply(http.StatusOK, pc.ResellerAgreementStatus{IsAgreementSigned: true})
}

// resellerByTenant finds a known reseller by tenant id. Callers hold s.mu.
func (s *Simulator) resellerByTenant(tenantID string) *resellerState {
	for _, r := range s.resellers {
		if r.TenantID == tenantID {
			return r
		}
	}
	return nil
}

// listIndirectResellers lists the Active partnerships (IsIndirectCloudSolutionProviderOf); the
// simulated partner is a provider, so IsIndirectResellerOf lists nothing.
func (s *Simulator) listIndirectResellers(c *call) reply {
	switch c.r.URL.Query().Get("relationship_type") {
	case pc.RelationshipQueryIndirectCSPOf:
	case pc.RelationshipQueryIndirectResellerOf:
		return collection([]pc.PartnerRelationship{})
	default:
		return legacyError(http.StatusBadRequest, pc.CodeMissingParameter, "relationship_type is required.")
	}
	var items []pc.PartnerRelationship
	for _, mpn := range slices.Sorted(maps.Keys(s.resellers)) {
		if r := s.resellers[mpn]; r.active {
			items = append(items, r.relationship())
		}
	}
	return collection(items)
}

// getRelationshipRequest returns the per-partner invitation (never DAP since October 2023).
func (s *Simulator) getRelationshipRequest(*call) reply {
	return jsonReply(http.StatusOK, pc.RelationshipRequest{
		URL:        s.relationshipRequestURL(),
		Attributes: pc.Attributes{ObjectType: pc.ObjectTypeRelationshipRequest},
	})
}

// relationshipRequestURL is the admin-center invitation link for this partner.
func (s *Simulator) relationshipRequestURL() string {
	return "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=" +
		s.cfg.PartnerTenantID + "&msppId=0&DAP=false#/BillingAccounts/partner-invitation"
}
