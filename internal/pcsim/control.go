package pcsim

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// CustomerRecord is what the simulator knows about one customer, for test assertions.
type CustomerRecord struct {
	// Customer is the resource as GET returns it.
	Customer pc.Customer `json:"customer"`
	// CreatedAt is the simulated creation (or AddExistingTenant) time.
	CreatedAt time.Time `json:"createdAt"`
	// ExistingTenant marks a tenant added with AddExistingTenant.
	ExistingTenant bool `json:"existingTenant,omitempty"`
	// RelationshipAccepted is true once an existing tenant accepted the relationship request.
	RelationshipAccepted bool `json:"relationshipAccepted,omitempty"`
	// DefaultGDAP is whether creation asked for the default GDAP relationship (C9).
	DefaultGDAP bool `json:"defaultGdap"`
	// ValidationStatus is the account validation status ("" = none).
	ValidationStatus string `json:"validationStatus,omitempty"`
	// DirectSigned is whether the customer accepted the MCA itself.
	DirectSigned bool `json:"directSigned"`
	// Agreements are the partner attestations.
	Agreements []pc.Agreement `json:"agreements,omitempty"`
	// Qualifications are the requested qualifications.
	Qualifications []pc.Qualification `json:"qualifications,omitempty"`
	// CostManagementPolicy is the last ARM policy set (C11), if any.
	CostManagementPolicy *pc.CostManagementPolicy `json:"costManagementPolicy,omitempty"`
}

// locked runs fn under the lock after settling the clock-driven transitions.
func (s *Simulator) locked(fn func(now time.Time) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.settle(now)
	return fn(now)
}

// withCustomer runs fn on a known customer.
func (s *Simulator) withCustomer(customerID string, fn func(c *customerState, now time.Time)) error {
	return s.locked(func(now time.Time) error {
		c := s.customers[customerID]
		if c == nil {
			return fmt.Errorf("pcsim: unknown customer %q", customerID)
		}
		fn(c, now)
		return nil
	})
}

// ApproveVerification makes the customer's account validation status Allowed.
func (s *Simulator) ApproveVerification(customerID string) error {
	return s.withCustomer(customerID, func(c *customerState, now time.Time) { c.setValidation(pc.AccountStatusAllowed, now) })
}

// RejectVerification makes the customer's account validation status NotAllowed.
func (s *Simulator) RejectVerification(customerID string) error {
	return s.withCustomer(customerID, func(c *customerState, now time.Time) { c.setValidation(pc.AccountStatusNotAllowed, now) })
}

// SetVerificationStatus sets any account validation status (e.g. "Not Ready", "Unknown");
// "" removes it, so the status call answers 404 600074. UnderReview restarts the review period.
func (s *Simulator) SetVerificationStatus(customerID, status string) error {
	if !validationStatuses[status] {
		return fmt.Errorf("pcsim: unknown account validation status %q", status)
	}
	return s.withCustomer(customerID, func(c *customerState, now time.Time) {
		c.setValidation(status, now)
		s.track(c)
	})
}

// validationStatuses are the statuses SetVerificationStatus accepts ("" = none).
var validationStatuses = map[string]bool{
	"": true, pc.AccountStatusUnknown: true, pc.AccountStatusUnderReview: true,
	pc.AccountStatusAllowed: true, pc.AccountStatusNotAllowed: true, pc.AccountStatusNotReady: true,
}

// errCannotSignDirectly is CustomerSignsMCA on an M9 customer.
var errCannotSignDirectly = errors.New("pcsim: this customer cannot accept the MCA directly (contact your partner)")

// CustomerSignsMCA records that the customer accepted the MCA in the admin center. It fails for
// a customer marked with SetCannotSignDirectly.
func (s *Simulator) CustomerSignsMCA(customerID string) error {
	var err error
	if werr := s.withCustomer(customerID, func(c *customerState, _ time.Time) {
		if c.cannotSignDirectly {
			err = errCannotSignDirectly
			return
		}
		c.directSigned = true
	}); werr != nil {
		return werr
	}
	return err
}

// SetCannotSignDirectly marks the M9 customer (already bought through another partner): its
// direct-signed status stays false forever, whatever DirectSignDelay says.
func (s *Simulator) SetCannotSignDirectly(customerID string) error {
	return s.withCustomer(customerID, func(c *customerState, _ time.Time) { c.cannotSignDirectly = true })
}

// ForceAddressVerdict makes every following address validation answer status (one of the
// pc.AddressStatus* values); "" restores the rule-based verdicts.
func (s *Simulator) ForceAddressVerdict(status string) error {
	if !addressStatuses[status] {
		return fmt.Errorf("pcsim: unknown address validation status %q", status)
	}
	return s.locked(func(time.Time) error {
		s.forcedAddressVerdict = status
		return nil
	})
}

// addressStatuses are the verdicts ForceAddressVerdict accepts ("" = rule-based).
var addressStatuses = map[string]bool{
	"": true, pc.AddressStatusVerifiedShippable: true, pc.AddressStatusVerified: true,
	pc.AddressStatusInteractionRequired: true, pc.AddressStatusStreetPartial: true,
	pc.AddressStatusPremisesPartial: true, pc.AddressStatusMultiple: true,
	pc.AddressStatusNone: true, pc.AddressStatusNotValidated: true,
}

// Advance moves the simulated clock forward by d and applies what became due. It fails when
// the simulator runs on real time (no Config.Clock).
func (s *Simulator) Advance(d time.Duration) error {
	sc, ok := s.clock.(*SimClock)
	if !ok {
		return errRealClock
	}
	sc.Advance(d)
	return s.locked(func(time.Time) error { return nil })
}

// RegisterReseller defines a reseller (enrolment faults, tenant id, name) before it is used.
// An empty TenantID is derived from the MPN id.
func (s *Simulator) RegisterReseller(r Reseller) error {
	if !numericMPN.MatchString(r.MPNID) {
		return fmt.Errorf("pcsim: MPN id %q is not numeric", r.MPNID)
	}
	return s.locked(func(time.Time) error {
		st := s.reseller(r.MPNID)
		if r.TenantID == "" {
			r.TenantID = st.TenantID
		}
		if r.Name == "" {
			r.Name = st.Name
		}
		st.Reseller = r
		s.track(st)
		return nil
	})
}

// AcceptPartnership makes the reseller's partnership Active (the reseller accepted the invitation).
func (s *Simulator) AcceptPartnership(mpnID string) error {
	if !numericMPN.MatchString(mpnID) {
		return fmt.Errorf("pcsim: MPN id %q is not numeric", mpnID)
	}
	return s.locked(func(time.Time) error {
		r := s.reseller(mpnID)
		r.active, r.removed = true, false
		return nil
	})
}

// RemovePartnership ends the reseller's partnership (portal-only in reality).
func (s *Simulator) RemovePartnership(mpnID string) error {
	return s.locked(func(time.Time) error {
		r := s.resellers[mpnID]
		if r == nil {
			return fmt.Errorf("pcsim: unknown reseller %q", mpnID)
		}
		r.active, r.removed = false, true
		return nil
	})
}

// AddExistingTenant adds a customer tenant that already exists outside this partner (C7). It is
// invisible to the partner until AcceptRelationshipRequest, and has no account validation status.
func (s *Simulator) AddExistingTenant(tenantID, companyName string) error {
	if uuid.Validate(tenantID) != nil {
		return fmt.Errorf("pcsim: tenant id %q is not a GUID", tenantID)
	}
	return s.locked(func(now time.Time) error {
		if s.customers[tenantID] != nil {
			return fmt.Errorf("pcsim: tenant %q already exists", tenantID)
		}
		c := &customerState{createdAt: now, existing: true, customer: pc.Customer{
			ID: tenantID, CommerceID: s.newID(), RelationshipToPartner: pc.RelationshipNone,
			CompanyProfile: &pc.CompanyProfile{TenantID: tenantID, CompanyName: companyName, Attributes: pc.Attributes{ObjectType: pc.ObjectTypeCompanyProfile}},
			// Choice: an existing tenant is a US company billed in English.
			BillingProfile: &pc.BillingProfile{ID: s.newID(), CompanyName: companyName, Language: "en", DefaultAddress: &pc.Address{Country: "US"},
				Attributes: pc.Attributes{ObjectType: pc.ObjectTypeBillingProfile, Etag: s.newEtag()}},
			Attributes: pc.Attributes{ObjectType: pc.ObjectTypeCustomer},
		}}
		s.customers[tenantID] = c
		s.customerOrder = append(s.customerOrder, tenantID)
		s.track(c)
		return nil
	})
}

// AcceptRelationshipRequest is the existing tenant accepting the partner's relationship request:
// it then appears in the customer list with relationshipToPartner "reseller".
func (s *Simulator) AcceptRelationshipRequest(tenantID string) error {
	return s.withCustomer(tenantID, func(c *customerState, _ time.Time) {
		c.relationshipAccepted = true
		c.customer.RelationshipToPartner = pc.RelationshipReseller
	})
}

// TakeDomain marks a domain as taken by someone else.
func (s *Simulator) TakeDomain(domain string) {
	_ = s.locked(func(time.Time) error {
		s.takenDomains[strings.ToLower(domain)] = true
		return nil
	})
}

// Calls returns how many requests reached operation op (Op* name), including rejected ones.
func (s *Simulator) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// CallCounts returns a copy of the per-operation request counters.
func (s *Simulator) CallCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls)
}

// TotalCalls counts every request that reached an operation.
func (s *Simulator) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	for _, n := range s.calls {
		total += n
	}
	return total
}

// ThrottleViolations counts calls that arrived before their caller's Retry-After deadline,
// sent after the caller can have read the 429 that set it (throttleHold.sentAfterRead).
func (s *Simulator) ThrottleViolations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.violationDelays)
}

// ThrottleViolationDelays are, per violation, how long after the 429 that
// began the caller's hold was answered the call arrived.
func (s *Simulator) ThrottleViolationDelays() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violationDelays)
}

// InFlightAtThrottle counts calls that arrived during a hold but were sent before the caller
// can have read its 429 (throttleHold.sentAfterRead), so not violations.
func (s *Simulator) InFlightAtThrottle() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inFlightAtThrottle
}

// Outbox returns the notices sent so far (SentAt not after the simulated now).
func (s *Simulator) Outbox() []Notice {
	var sent []Notice
	_ = s.locked(func(now time.Time) error {
		for _, n := range s.notices {
			if !n.SentAt.After(now) {
				sent = append(sent, n)
			}
		}
		return nil
	})
	return sent
}

// Customers returns every customer (created or existing tenant) in creation order.
func (s *Simulator) Customers() []CustomerRecord {
	var out []CustomerRecord
	_ = s.locked(func(time.Time) error {
		for _, id := range s.customerOrder {
			out = append(out, s.customers[id].record())
		}
		return nil
	})
	return out
}

// Customer returns the record of one customer, and whether it exists.
func (s *Simulator) Customer(customerID string) (CustomerRecord, bool) {
	var out CustomerRecord
	err := s.withCustomer(customerID, func(c *customerState, _ time.Time) { out = c.record() })
	return out, err == nil
}

// record is a copy of the customer's state for the Go API.
func (c *customerState) record() CustomerRecord {
	return CustomerRecord{
		Customer: c.customer, CreatedAt: c.createdAt, ExistingTenant: c.existing,
		RelationshipAccepted: c.relationshipAccepted, DefaultGDAP: c.defaultGDAP,
		ValidationStatus: c.validation, DirectSigned: c.directSigned,
		Agreements: append([]pc.Agreement(nil), c.agreements...), Qualifications: append([]pc.Qualification(nil), c.qualifications...),
		CostManagementPolicy: c.costPolicy,
	}
}

// Orders returns every order in creation order.
func (s *Simulator) Orders() []pc.Order {
	var out []pc.Order
	_ = s.locked(func(time.Time) error {
		for _, id := range s.orderSeq {
			out = append(out, s.orders[id].order)
		}
		return nil
	})
	return out
}

// Subscriptions returns every subscription in creation order.
func (s *Simulator) Subscriptions() []pc.Subscription {
	var out []pc.Subscription
	_ = s.locked(func(time.Time) error {
		for _, id := range s.subSeq {
			out = append(out, s.subscriptions[id].sub)
		}
		return nil
	})
	return out
}
