package pcsim

import (
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"testing"
)

func TestSeedAddsAWholeBookOrNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		book Book
		ok   bool
	}{
		{"a book", SampleBook(BookSize{Customers: 4, Subscriptions: 6, Resellers: 1, MCAEvery: 2}), true},
		{"a customer of a reseller the book does not have", Book{Customers: []BookCustomer{{CompanyName: "A"}, {CompanyName: "B", ResellerMPNID: "123456"}}}, false},
		{"a tenant ID that is not a GUID", Book{Customers: []BookCustomer{{CompanyName: "A"}, {CompanyName: "B", TenantID: "x"}}}, false},
		{"a subscription without licences", Book{Customers: []BookCustomer{{CompanyName: "A", Subscriptions: []BookSubscription{{OfferID: "o", Quantity: 0}}}}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{})
			seeded, err := s.Seed(tc.book)
			if !tc.ok {
				if err == nil || len(s.Customers()) != 0 || len(s.Subscriptions()) != 0 {
					t.Fatalf("err %v, %d customers, %d subscriptions: want a refusal and nothing added", err, len(s.Customers()), len(s.Subscriptions()))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(seeded.CustomerIDs) != 4 || len(s.Subscriptions()) != 6 {
				t.Fatalf("%d customers, %d subscriptions", len(seeded.CustomerIDs), len(s.Subscriptions()))
			}
			for _, sub := range s.Subscriptions() {
				if sub.Status != wire.SubscriptionStatusActive {
					t.Fatalf("subscription %s is %s, want active", sub.ID, sub.Status)
				}
			}
			first, _ := s.Customer(seeded.CustomerIDs[0])
			if first.ValidationStatus != wire.AccountStatusAllowed || len(first.Agreements) != 1 || first.Customer.AssociatedPartnerID == "" {
				t.Fatalf("customer 0: status %q, %d agreements, reseller %q; want Allowed, an attestation, a reseller", first.ValidationStatus, len(first.Agreements), first.Customer.AssociatedPartnerID)
			}
			if s.WriteCalls() != 0 {
				t.Fatal("seeding counted as API writes")
			}
		})
	}
}
