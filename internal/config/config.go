// Package config holds the operator-wide settings chosen at start-up: which
// partner account the operator acts for and in which role.
package config

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/utils/clock"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// PartnerRole is the CSP role of the one partner account the operator acts for.
type PartnerRole string

const (
	// RoleDirectBill is a direct-bill partner: creates customers (C1), attests (M2), orders.
	RoleDirectBill PartnerRole = "DirectBill"
	// RoleIndirectProvider is an indirect provider: like DirectBill, plus
	// partnerships with indirect resellers (R1..R7).
	RoleIndirectProvider PartnerRole = "IndirectProvider"
	// RoleIndirectReseller is an indirect reseller: it may not create
	// customers (C1) or attest (M2) and has no Partner Center API access.
	RoleIndirectReseller PartnerRole = "IndirectReseller"
)

// Roles lists the valid roles, for flag help and validation.
var Roles = []PartnerRole{RoleDirectBill, RoleIndirectProvider, RoleIndirectReseller}

// ParseRole returns the role named by s, or an error listing the valid ones.
func ParseRole(s string) (PartnerRole, error) {
	for _, r := range Roles {
		if strings.EqualFold(s, string(r)) {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown partner role %q: use one of DirectBill, IndirectProvider, IndirectReseller", s)
}

// CanCreateCustomers tells whether the role may create new customer tenants (C1).
func (r PartnerRole) CanCreateCustomers() bool { return r != RoleIndirectReseller }

// CanAttest tells whether the role may attest MCA acceptance (M2).
func (r PartnerRole) CanAttest() bool { return r != RoleIndirectReseller }

// CanPartnerWithResellers tells whether the role has indirect resellers (R1).
func (r PartnerRole) CanPartnerWithResellers() bool { return r == RoleIndirectProvider }

// Operator is the configuration every controller and webhook shares.
type Operator struct {
	// Role is the partner account's CSP role.
	Role PartnerRole
	// PartnerDomain is the partner's own e-mail domain; customer e-mails in it are refused (C4).
	PartnerDomain string
	// ResellerInvitationURL is the provider's personalized reseller
	// invitation link, copied once from the Partner Center portal (R2).
	ResellerInvitationURL string
	// BillingAccountName is the partner's Microsoft Partner Agreement billing
	// account for the Cost Management policy call (C11); "default" when empty.
	BillingAccountName string
	// Backend says whether Partner Center is the real service or the simulator.
	Backend v1alpha1.Backend
	// ResyncPeriod is how often a settled object is read again from Partner
	// Center to detect drift (jittered).
	ResyncPeriod time.Duration
	// SafetyNet stretches ResyncPeriod when the book does not fit the
	// resync's share of the Partner Center budget; nil keeps it as is.
	SafetyNet interface {
		Period(base time.Duration) time.Duration
	}
	// Clock is the time source; tests share the simulator's clock.
	Clock clock.PassiveClock
}

// Now returns the current time of the operator's clock.
func (o Operator) Now() time.Time {
	if o.Clock == nil {
		return time.Now()
	}
	return o.Clock.Now()
}
