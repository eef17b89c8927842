package pcsim

import (
	"fmt"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// BookSize is the shape of a SampleBook.
type BookSize struct {
	// Customers is the number of customers.
	Customers int
	// Subscriptions is the number of subscriptions, spread over the customers.
	Subscriptions int
	// Resellers is the number of indirect resellers; every third customer belongs to one.
	Resellers int
	// MCAEvery gives every MCAEvery-th customer a partner attestation of the
	// MCA (the others signed it directly); 0 means none attested.
	MCAEvery int
}

// sampleOffers are the new-commerce offers of a SampleBook.
var sampleOffers = []struct{ id, name string }{
	{"CFQ7TTC0LH18:0001:CFQ7TTC0K59J", "Microsoft 365 Business Basic"},
	{"CFQ7TTC0LDPB:0001:CFQ7TTC0K5BF", "Microsoft 365 Business Standard"},
	{"CFQ7TTC0LCHC:0002:CFQ7TTC0K5BC", "Microsoft 365 Business Premium"},
	{"CFQ7TTC0LFLX:0001:CFQ7TTC0K6Z4", "Office 365 E3"},
}

// sampleNames are company names of a SampleBook: repeated names, accents and
// punctuation, so an export must make unique, valid Kubernetes names.
var sampleNames = []string{"Contoso", "Fabrikam", "Northwind Traders", "Adventure Works", "Tailspin Toys", "Wide World Importers", "Müller & Söhne", "Café Açaí", "Litware", "Proseware"}

// SampleBook is a deterministic book of size n: company names that repeat
// (with a number, and some exactly), subscriptions spread over the customers,
// every third customer belonging to a reseller (its first subscription with
// the reseller as partner of record), MCAs attested or signed directly.
func SampleBook(n BookSize) Book {
	var b Book
	for r := range n.Resellers {
		b.Resellers = append(b.Resellers, Reseller{MPNID: fmt.Sprintf("%d", 6100000+r), Name: fmt.Sprintf("Reseller %02d", r+1)})
	}
	for i := range n.Customers {
		name := fmt.Sprintf("%s %04d Ltd", sampleNames[i%len(sampleNames)], i/len(sampleNames))
		if i%50 == 49 {
			name = sampleNames[i%len(sampleNames)] // the same legal name more than once
		}
		c := BookCustomer{CompanyName: name, MCASignedDirectly: true}
		if n.MCAEvery > 0 && i%n.MCAEvery == 0 {
			c.MCASignedDirectly = false
			c.MCAAcceptedBy = &wire.Contact{FirstName: "Ana", LastName: fmt.Sprintf("Silva%d", i), Email: fmt.Sprintf("ana.silva%d@customer%d.example", i, i)}
		}
		if n.Resellers > 0 && i%3 == 0 {
			c.ResellerMPNID = b.Resellers[(i/3)%n.Resellers].MPNID
		}
		b.Customers = append(b.Customers, c)
	}
	for j := range n.Subscriptions {
		if n.Customers == 0 {
			break
		}
		c := &b.Customers[j%n.Customers]
		offer := sampleOffers[(j/n.Customers+j)%len(sampleOffers)]
		c.Subscriptions = append(c.Subscriptions, BookSubscription{
			OfferID: offer.id, FriendlyName: offer.name, Quantity: 1 + j%25, TermDuration: wire.TermP1Y, BillingCycle: wire.BillingCycleMonthly,
			ResellerOnRecord: c.ResellerMPNID != "" && len(c.Subscriptions) == 0,
		})
	}
	return b
}
