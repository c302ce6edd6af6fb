/**
 * Fictional people on reserved example domains, shaped after what real privacy policies list.
 * jane.doe@example.com holds data in every demo store; the others are bystanders whose data must
 * never be touched by Jane's requests.
 */
export interface DemoFile {
  readonly key: string;
  readonly contentType: string;
  readonly body: string;
}

export const demoSubject = { email: 'jane.doe@example.com', customerId: 'C-1001' } as const;

/** A product-usage time series: enough events to page through queries and span several batches. */
function usageEvents(customerId: string, count: number, start: string): Record<string, unknown>[] {
  const features = ['dashboard', 'reports', 'export', 'settings', 'search'];
  const devices = ['desktop', 'mobile', 'tablet'];
  return Array.from({ length: count }, (_, index) => ({
    customerId,
    occurredAt: new Date(Date.parse(start) + index * 3_600_000).toISOString(),
    feature: features[index % features.length],
    device: devices[index % devices.length],
    durationSeconds: 30 + ((index * 37) % 600),
  }));
}

export const demoRecords: Record<string, readonly Record<string, unknown>[]> = {
  accounts: [
    {
      customerId: 'C-1001',
      email: 'jane.doe@example.com',
      name: 'Jane Doe',
      phone: '+44 20 7946 0958',
      address: '221B Example Street, London NW1 6XE, United Kingdom',
      company: 'Example Ltd',
      jobTitle: 'Product Manager',
      createdAt: '2023-04-12T09:30:00Z',
      language: 'en',
    },
    {
      customerId: 'C-1002',
      email: 'john.smith@example.org',
      name: 'John Smith',
      phone: '+1 555 0100',
      address: '1 Example Avenue, Springfield, USA',
      company: 'Example Inc',
      jobTitle: 'Engineer',
      createdAt: '2022-11-02T14:00:00Z',
      language: 'en',
    },
    {
      customerId: 'C-1003',
      email: 'amira.haddad@example.net',
      name: 'Amira Haddad',
      phone: '+33 1 23 45 67 89',
      address: '12 rue de l’Exemple, 75001 Paris, France',
      company: 'Exemple SARL',
      jobTitle: 'Designer',
      createdAt: '2024-02-20T08:15:00Z',
      language: 'fr',
    },
    {
      customerId: 'C-1004',
      email: 'lukas.muller@example.com',
      name: 'Lukas Müller',
      phone: '+49 30 901820',
      address: 'Beispielweg 5, 10115 Berlin, Germany',
      company: 'Beispiel GmbH',
      jobTitle: 'Analyst',
      createdAt: '2021-07-07T16:45:00Z',
      language: 'de',
    },
  ],
  'marketing-preferences': [
    {
      customerId: 'C-1001',
      newsletter: true,
      productUpdates: true,
      partnerOffers: false,
      consentGivenAt: '2023-04-12T09:31:00Z',
      consentSource: 'sign-up form',
    },
    {
      customerId: 'C-1003',
      newsletter: true,
      productUpdates: false,
      partnerOffers: true,
      consentGivenAt: '2024-02-20T08:16:00Z',
      consentSource: 'preference centre',
    },
    {
      customerId: 'C-1004',
      newsletter: false,
      productUpdates: true,
      partnerOffers: false,
      consentGivenAt: '2021-07-07T16:46:00Z',
      consentSource: 'sign-up form',
    },
  ],
  'support-tickets': [
    {
      customerId: 'C-1001',
      ticketId: 'T-5001',
      subject: 'Cannot change my password',
      status: 'closed',
      openedAt: '2024-01-15T10:00:00Z',
      contactName: 'Jane Doe',
      contactPhone: '+44 20 7946 0958',
      messages: ['Hello, the reset link does not arrive.', 'Thanks, it works now.'],
    },
    {
      customerId: 'C-1001',
      ticketId: 'T-5002',
      subject: 'Invoice address',
      status: 'closed',
      openedAt: '2024-06-03T12:20:00Z',
      messages: ['Please put my company name on invoices.'],
    },
    {
      customerId: 'C-1001',
      ticketId: 'T-5003',
      subject: 'Export my projects',
      status: 'open',
      openedAt: '2025-09-30T08:05:00Z',
      messages: ['Can I download all my projects at once?'],
    },
    {
      customerId: 'C-1002',
      ticketId: 'T-5004',
      subject: 'Billing question',
      status: 'closed',
      openedAt: '2023-03-10T09:00:00Z',
      messages: ['Why was I charged twice?'],
    },
    {
      customerId: 'C-1004',
      ticketId: 'T-5005',
      subject: 'Sprache ändern',
      status: 'closed',
      openedAt: '2022-05-05T11:11:00Z',
      messages: ['Wie stelle ich die Sprache um?'],
    },
  ],
  'survey-answers': [
    {
      customerId: 'C-1001',
      surveyId: 'S-2024-Q2',
      answeredAt: '2024-06-30T18:00:00Z',
      score: 8,
      jobTitle: 'Product Manager',
      comment: 'I would love a dark mode.',
    },
    {
      customerId: 'C-1001',
      surveyId: 'S-2025-Q1',
      answeredAt: '2025-03-15T09:45:00Z',
      score: 9,
      jobTitle: 'Product Manager',
      comment: 'Exports got much faster, thanks.',
    },
    { customerId: 'C-1003', surveyId: 'S-2025-Q1', answeredAt: '2025-03-16T10:00:00Z', score: 7, jobTitle: 'Designer', comment: 'Plus de modèles, svp.' },
  ],
  'billing-records': [
    {
      customerId: 'C-1001',
      invoiceId: 'INV-2024-0042',
      email: 'jane.doe@example.com',
      issuedAt: '2024-02-01',
      amount: 240,
      currency: 'GBP',
      billingName: 'Jane Doe',
      billingAddress: '221B Example Street, London NW1 6XE',
      phone: '+44 20 7946 0958',
      marketingSegment: 'smb-growth',
    },
    {
      customerId: 'C-1001',
      invoiceId: 'INV-2025-0042',
      email: 'jane.doe@example.com',
      issuedAt: '2025-02-01',
      amount: 264,
      currency: 'GBP',
      billingName: 'Jane Doe',
      billingAddress: '221B Example Street, London NW1 6XE',
      phone: '+44 20 7946 0958',
      marketingSegment: 'smb-growth',
    },
    {
      customerId: 'C-1002',
      invoiceId: 'INV-2024-0077',
      email: 'john.smith@example.org',
      issuedAt: '2024-05-01',
      amount: 120,
      currency: 'USD',
      billingName: 'John Smith',
      billingAddress: '1 Example Avenue, Springfield',
      phone: '+1 555 0100',
      marketingSegment: 'enterprise',
    },
  ],
  'usage-events': [...usageEvents('C-1001', 120, '2025-10-01T08:00:00Z'), ...usageEvents('C-1004', 5, '2025-10-01T08:00:00Z')],
};

export const demoFiles: Record<string, readonly DemoFile[]> = {
  'uploaded-files': [
    {
      key: 'uploads/C-1001/profile-notes.txt',
      contentType: 'text/plain; charset=utf-8',
      body: 'Notes Jane uploaded: favourite colour blue, prefers email contact.\n',
    },
    { key: 'uploads/C-1001/cv.md', contentType: 'text/markdown; charset=utf-8', body: '# Jane Doe\n\nProduct Manager at Example Ltd.\n' },
    { key: 'uploads/C-1003/portfolio.txt', contentType: 'text/plain; charset=utf-8', body: 'Amira Haddad portfolio index.\n' },
  ],
  'profile-photos': [
    // A tiny SVG stands in for a photo: real images are not needed to prove erasure.
    {
      key: 'photos/C-1001/avatar.svg',
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4" fill="#1d4ed8"/></svg>',
    },
    {
      key: 'photos/C-1001/avatar-2024.svg',
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#0f766e"/></svg>',
    },
    {
      key: 'photos/C-1003/avatar.svg',
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="3" fill="#b45309"/></svg>',
    },
  ],
};
