package pcsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/google/uuid"
)

// Book is a partner's existing book of business, seeded into the simulator
// (POST /sim/book) to try and test importing it: active indirect resellers,
// customers (verified, some for a reseller, some with an accepted MCA) and
// their active subscriptions, all bought some time before now.
type Book struct {
	// Resellers become active indirect resellers of the partner.
	Resellers []Reseller `json:"resellers,omitempty"`
	// Customers are the partner's customers.
	Customers []BookCustomer `json:"customers"`
}

// BookCustomer is one customer of a Book.
type BookCustomer struct {
	// TenantID is the customer's tenant id; empty means a new one.
	TenantID string `json:"tenantId,omitempty"`
	// CompanyName is the customer's legal name.
	CompanyName string `json:"companyName"`
	// Domain is the <prefix>.onmicrosoft.com prefix; empty means one derived from the tenant id.
	Domain string `json:"domain,omitempty"`
	// Country is the ISO alpha-2 country of the billing address (default US).
	Country string `json:"country,omitempty"`
	// ResellerMPNID names the indirect reseller (one of Book.Resellers) the customer belongs to.
	ResellerMPNID string `json:"resellerMpnId,omitempty"`
	// MCAAcceptedBy, when set, is the contact of a partner attestation of the MCA.
	MCAAcceptedBy *wire.Contact `json:"mcaAcceptedBy,omitempty"`
	// MCASignedDirectly is the customer's own acceptance of the MCA.
	MCASignedDirectly bool `json:"mcaSignedDirectly,omitempty"`
	// Subscriptions are the customer's active subscriptions.
	Subscriptions []BookSubscription `json:"subscriptions,omitempty"`
}

// BookSubscription is one active subscription of a BookCustomer.
type BookSubscription struct {
	// OfferID is the catalog offer.
	OfferID string `json:"offerId"`
	// Quantity is the number of licences.
	Quantity int `json:"quantity"`
	// TermDuration is P1M, P1Y or P3Y (default P1M).
	TermDuration string `json:"termDuration,omitempty"`
	// BillingCycle is the API's billing cycle (default monthly).
	BillingCycle string `json:"billingCycle,omitempty"`
	// FriendlyName is the subscription's display name.
	FriendlyName string `json:"friendlyName,omitempty"`
	// ResellerOnRecord makes the customer's reseller the partner of record.
	ResellerOnRecord bool `json:"resellerOnRecord,omitempty"`
}

// SeededBook is what Seed created: customer tenant ids and, per customer,
// its subscription ids, in the Book's order.
type SeededBook struct {
	// CustomerIDs are the customers' tenant ids.
	CustomerIDs []string `json:"customerIds"`
	// SubscriptionIDs are the subscription ids per customer.
	SubscriptionIDs [][]string `json:"subscriptionIds"`
}

// bookAge is how long before now a seeded book's subscriptions were bought:
// past the cancellation window, well inside a yearly term.
const bookAge = 30 * 24 * time.Hour

// Seed adds a Book: the resellers' partnerships become active, every
// customer exists verified (account status Allowed) with its agreement and
// subscriptions. It is all or nothing: a Book naming a tenant that exists or
// an unknown reseller changes nothing.
func (s *Simulator) Seed(b Book) (*SeededBook, error) {
	var out SeededBook
	err := s.locked(func(now time.Time) error {
		if err := s.checkBook(b); err != nil {
			return err
		}
		for _, r := range b.Resellers {
			st := s.reseller(r.MPNID)
			if r.TenantID == "" {
				r.TenantID = st.TenantID
			}
			if r.Name == "" {
				r.Name = st.Name
			}
			st.Reseller, st.active, st.checked = r, true, true
		}
		for _, bc := range b.Customers {
			c := s.seedCustomer(bc, now)
			subs := make([]string, 0, len(bc.Subscriptions))
			for _, bs := range bc.Subscriptions {
				subs = append(subs, s.seedSubscription(c, bc, bs, now).sub.ID)
			}
			out.CustomerIDs = append(out.CustomerIDs, c.customer.ID)
			out.SubscriptionIDs = append(out.SubscriptionIDs, subs)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// checkBook refuses a Book that cannot be seeded whole. Callers hold s.mu.
func (s *Simulator) checkBook(b Book) error {
	resellers := map[string]bool{}
	for _, r := range b.Resellers {
		if !numericMPN.MatchString(r.MPNID) {
			return fmt.Errorf("pcsim: MPN id %q is not numeric", r.MPNID)
		}
		resellers[r.MPNID] = true
	}
	for i, bc := range b.Customers {
		switch {
		case bc.TenantID != "" && uuid.Validate(bc.TenantID) != nil:
			return fmt.Errorf("pcsim: customer %d: tenant id %q is not a GUID", i, bc.TenantID)
		case bc.TenantID != "" && s.customers[bc.TenantID] != nil:
			return fmt.Errorf("pcsim: customer %d: tenant %q already exists", i, bc.TenantID)
		case bc.ResellerMPNID != "" && !resellers[bc.ResellerMPNID]:
			return fmt.Errorf("pcsim: customer %d: reseller %q is not among the book's resellers", i, bc.ResellerMPNID)
		}
		for j, bs := range bc.Subscriptions {
			if bs.OfferID == "" || bs.Quantity <= 0 {
				return fmt.Errorf("pcsim: customer %d, subscription %d: an offer and a positive quantity are needed", i, j)
			}
		}
	}
	return nil
}

// seedCustomer stores one verified customer of a Book. Callers hold s.mu.
func (s *Simulator) seedCustomer(bc BookCustomer, now time.Time) *customerState {
	id := bc.TenantID
	if id == "" {
		id = s.newID()
	}
	domain := bc.Domain
	if domain == "" {
		domain = "t" + strings.ReplaceAll(id, "-", "")[:20]
	}
	domain = strings.ToLower(domain) + ".onmicrosoft.com"
	country := bc.Country
	if country == "" {
		country = "US"
	}
	created := now.Add(-bookAge)
	noDAP := false
	c := &customerState{createdAt: created, directSigned: bc.MCASignedDirectly, customer: wire.Customer{
		ID: id, CommerceID: s.newID(), RelationshipToPartner: wire.RelationshipReseller, AllowDelegatedAccess: &noDAP,
		CompanyProfile: &wire.CompanyProfile{TenantID: id, Domain: domain, CompanyName: bc.CompanyName, Attributes: wire.Attributes{ObjectType: wire.ObjectTypeCompanyProfile}},
		BillingProfile: &wire.BillingProfile{
			ID: s.newID(), CompanyName: bc.CompanyName, Email: "billing@" + domain,
			DefaultAddress: &wire.Address{Country: country},
			Attributes:     wire.Attributes{ObjectType: wire.ObjectTypeBillingProfile, Etag: s.newEtag()},
		},
		Links:      wire.Links{"self": {URI: "/customers/" + id, Method: http.MethodGet, Headers: []wire.LinkHeader{}}},
		Attributes: wire.Attributes{ObjectType: wire.ObjectTypeCustomer},
	}}
	if bc.ResellerMPNID != "" {
		c.customer.AssociatedPartnerID = s.resellers[bc.ResellerMPNID].TenantID
	}
	if bc.MCAAcceptedBy != nil {
		c.agreements = []wire.Agreement{{
			PrimaryContact: *bc.MCAAcceptedBy, TemplateID: wire.MCATemplateID, DateAgreed: wire.FormatTime(created.Truncate(24 * time.Hour)),
			Type: wire.AgreementTypeMCA, AgreementLink: wire.MCAAgreementLink, Attributes: wire.Attributes{ObjectType: wire.ObjectTypeAgreement},
		}}
	}
	c.setValidation(wire.AccountStatusAllowed, created)
	s.customers[id] = c
	s.customerOrder = append(s.customerOrder, id)
	s.takenDomains[domain] = true
	return c
}

// seedSubscription stores one active subscription bought bookAge ago. Callers hold s.mu.
func (s *Simulator) seedSubscription(c *customerState, bc BookCustomer, bs BookSubscription, now time.Time) *subscriptionState {
	line := wire.OrderLineItem{OfferID: bs.OfferID, Quantity: bs.Quantity, TermDuration: bs.TermDuration, FriendlyName: bs.FriendlyName}
	if bs.ResellerOnRecord && bc.ResellerMPNID != "" {
		line.PartnerIDOnRecord = bc.ResellerMPNID
	}
	cycle := bs.BillingCycle
	if cycle == "" {
		cycle = wire.BillingCycleMonthly
	}
	sub := s.addSubscription(c.customer.ID, wire.Order{BillingCycle: cycle}, line, now.Add(-bookAge))
	sub.sub.Status = wire.SubscriptionStatusActive
	s.track(sub)
	return sub
}

// seedHandler serves POST /sim/book: the Book as JSON in, the SeededBook as JSON out.
func (s *Simulator) seedHandler(w http.ResponseWriter, r *http.Request) {
	var b Book
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		writeControlJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	seeded, err := s.Seed(b)
	if err != nil {
		writeControlJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	writeControlJSON(w, http.StatusOK, seeded)
}

// SeedOverHTTP seeds a Book through the control API of the simulator at
// baseURL (started with the control API enabled).
func SeedOverHTTP(ctx context.Context, baseURL string, b Book) (*SeededBook, error) {
	body, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+"/sim/book", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return nil, fmt.Errorf("pcsim: seeding the book: %s: %s", resp.Status, e.Error)
	}
	var seeded SeededBook
	return &seeded, json.NewDecoder(resp.Body).Decode(&seeded)
}

// writeOperations are the operations that change something in Partner Center: the
// client's (wire.ChangingOperations) and the one only the simulator serves.
var writeOperations = append(slices.Clone(wire.ChangingOperations), opRemoveCustomerRelationship)

// WriteCalls counts the requests that reached an operation that changes
// something (including refused ones): what an import must keep at zero (I1).
func (s *Simulator) WriteCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	for _, op := range writeOperations {
		total += s.calls[op]
	}
	return total
}
