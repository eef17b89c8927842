// Package pcsim is an in-process Partner Center simulator. It speaks the REST API of
// internal/partnercenter (same paths, methods, status codes, error codes and JSON casing) over
// real HTTP and models the onboarding rules: verification, the country rule, agreements,
// resellers, orders, subscriptions, throttling, rate limits, latency, audit records,
// MS-RequestId replay and faults. Every choice the API documentation leaves open is marked
// "Choice:" in a comment and listed in docs/simulator.md.
package pcsim

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"k8s.io/utils/clock"
)

// DefaultPartnerTenantID is used when Config.PartnerTenantID is empty.
const DefaultPartnerTenantID = "11111111-2222-3333-4444-555555555555"

// Config sets the simulator's behaviour. The zero value is a fast, fault-free simulator in which
// every delay is zero (verification, partnership acceptance, direct signing and order completion
// happen at once).
type Config struct {
	// PartnerTenantID is the provider's tenant id; tokens must carry it as tid.
	PartnerTenantID string
	// Clock is the simulated clock; nil means real time.
	Clock *SimClock
	// VerificationDelay: new customers start UnderReview and become Allowed once the clock passes
	// creation (or the last re-verification trigger) + delay. 0 = Allowed at once.
	VerificationDelay time.Duration
	// ManualVerification keeps customers UnderReview until ApproveVerification.
	ManualVerification bool
	// PartnershipAcceptDelay: a reseller becomes Active that long after its MPN id was first
	// checked with the agreement-status call. Negative = only via AcceptPartnership.
	PartnershipAcceptDelay time.Duration
	// DirectSignDelay: the customer signs the MCA directly that long after creation. Negative =
	// only via CustomerSignsMCA (the M9 "cannot accept directly" customer).
	DirectSignDelay time.Duration
	// OrderCompletionDelay: orders are pending that long, then completed.
	OrderCompletionDelay time.Duration
	// ThrottleRate is the fraction (0..1) of API calls answered 429.
	ThrottleRate float64
	// RetryAfter is the Retry-After of a 429 (default 1s; whole seconds on the wire).
	RetryAfter time.Duration
	// DropAfterWriteRate is the fraction (0..1) of first-time writes that are performed and
	// then answered by dropping the connection.
	DropAfterWriteRate float64
	// ErrorRate is the fraction (0..1) of API calls answered 503 before any side effect.
	ErrorRate float64
	// Latency delays every API answer by this much real time (outside the lock): a constant,
	// short for LatencyDistribution{P50: Latency}, which wins when set.
	Latency time.Duration
	// LatencyDistribution draws each API answer's delay (seeded); zero = Latency.
	LatencyDistribution LatencyDistribution
	// RateLimits are token buckets per partner tenant per operation group (RateGroup*,
	// DocumentedRateLimits); a call finding its bucket empty gets 429 with the Retry-After
	// the bucket needs. nil (the default) = no rate limits. Apart from ThrottleRate.
	RateLimits map[string]RateLimit
	// RateLimitClock refills the RateLimits buckets; nil = real time. Tests inject a SimClock.
	RateLimitClock clock.PassiveClock
	// Seed makes ids, passwords, throttling and faults reproducible.
	Seed int64
	// EnableControlAPI serves the /sim/... control endpoints.
	EnableControlAPI bool
	// ResellerInvitationURL is the partner's reseller-partnership invitation link (default a
	// partner.microsoft.com link naming PartnerTenantID).
	ResellerInvitationURL string
	// AttestationAcceptDelay: the customer accepts an enhanced attestation's link that long
	// after its creation (if the link has not expired by then). Negative = only via
	// CustomerAcceptsAttestation.
	AttestationAcceptDelay time.Duration
}

// Simulator is the simulated Partner Center. All state sits behind one mutex.
type Simulator struct {
	cfg   Config
	clock clock.PassiveClock

	mu            sync.Mutex
	rng           *rand.Rand
	customers     map[string]*customerState
	customerOrder []string
	takenDomains  map[string]bool
	resellers     map[string]*resellerState // by MPN id
	orders        map[string]*orderState
	orderSeq      []string
	// pendingOrders maps inProgressKey(customer, offers) to the pending order's id (409 800060).
	pendingOrders map[string]string
	subscriptions map[string]*subscriptionState
	subSeq        []string
	// attestations are the enhanced attestations by id, attestationSeq their creation order.
	attestations   map[string]*attestationState
	attestationSeq []string
	carts          map[string]*cartState
	// cartChoices are the test-set cart behaviours (SetCheckoutConflict, MakeUnavailable).
	cartChoices cartChoices
	notices     []Notice
	// forcedAddressVerdict, when set, is the status of every address validation (ForceAddressVerdict).
	forcedAddressVerdict string
	replays              map[replayKey]storedReply
	calls                map[string]int
	throttle             map[string]*throttleHold // caller → its Retry-After hold
	// violationDelays has one entry per violation: how long after the hold's 429 was answered the call arrived.
	violationDelays []time.Duration
	// inFlightAtThrottle counts calls that arrived during a hold but were sent before its 429 was read.
	inFlightAtThrottle int
	// nextDue is the earliest pending clock-driven transition (zero = none).
	nextDue time.Time
	limiter rateLimiter
	latency *latencyModel
	audit   auditLog
}

// New builds a simulator from cfg.
func New(cfg Config) *Simulator {
	if cfg.PartnerTenantID == "" {
		cfg.PartnerTenantID = DefaultPartnerTenantID
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = time.Second
	}
	if cfg.ResellerInvitationURL == "" {
		cfg.ResellerInvitationURL = "https://partner.microsoft.com/dashboard/v2/customers/indirectresellers/invite?partnerId=" + cfg.PartnerTenantID
	}
	s := &Simulator{
		cfg:           cfg,
		clock:         clock.RealClock{},
		rng:           rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(cfg.Seed)^0x5eed)),
		customers:     map[string]*customerState{},
		takenDomains:  map[string]bool{},
		resellers:     map[string]*resellerState{},
		orders:        map[string]*orderState{},
		pendingOrders: map[string]string{},
		subscriptions: map[string]*subscriptionState{},
		attestations:  map[string]*attestationState{},
		carts:         map[string]*cartState{},
		replays:       map[replayKey]storedReply{},
		calls:         map[string]int{},
		throttle:      map[string]*throttleHold{},
		limiter:       newRateLimiter(cfg),
		latency:       newLatencyModel(cfg),
	}
	if cfg.Clock != nil {
		s.clock = cfg.Clock
	}
	return s
}

// Clock is the clock the simulator reads (the Config's SimClock, or real time).
func (s *Simulator) Clock() clock.PassiveClock { return s.clock }

// ResellerInvitationURL is the partner's reseller-partnership invitation link.
func (s *Simulator) ResellerInvitationURL() string { return s.cfg.ResellerInvitationURL }

// newID returns a seeded random UUID (version 4 bits set). Callers hold s.mu.
func (s *Simulator) newID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], s.rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], s.rng.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuid.UUID(b).String()
}

// newEtag returns a fresh opaque etag (a signed decimal, as the API's samples show). Callers hold s.mu.
func (s *Simulator) newEtag() string {
	return formatInt(int64(s.rng.Uint64() >> 1))
}

// settle applies every clock-driven transition due at now. Transitions are evaluated lazily,
// on each request and each Go API call, so no goroutine runs behind the tests; the full pass runs
// only once the earliest pending transition (nextDue) is reached, which keeps reads O(1).
// Callers hold s.mu.
func (s *Simulator) settle(now time.Time) {
	if s.nextDue.IsZero() || now.Before(s.nextDue) {
		return
	}
	s.nextDue = time.Time{}
	for _, c := range s.customers {
		c.settle(s.cfg, now)
		s.track(c)
	}
	for _, r := range s.resellers {
		r.settle(s.cfg, now)
		s.track(r)
	}
	for _, id := range s.orderSeq {
		s.settleOrder(s.orders[id], now)
		s.track(s.orders[id])
	}
	for _, id := range s.subSeq {
		s.settleSubscription(s.subscriptions[id], now)
		s.track(s.subscriptions[id])
	}
	for _, id := range s.attestationSeq {
		s.attestations[id].settle(s.cfg, now)
		s.track(s.attestations[id])
	}
}

// timed is state with a clock-driven transition ahead of it.
type timed interface {
	// nextEvent is when the next transition is due; ok is false when none is pending.
	nextEvent(cfg Config) (at time.Time, ok bool)
}

// track lowers nextDue to x's next transition. Every mutation that can create a future
// transition calls it. Callers hold s.mu.
func (s *Simulator) track(x timed) {
	if at, ok := x.nextEvent(s.cfg); ok && (s.nextDue.IsZero() || at.Before(s.nextDue)) {
		s.nextDue = at
	}
}
