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

export const demoRecords: Record<string, readonly Record<string, unknown>[]> = {
  accounts: [
    { customerId: 'C-1001', email: 'jane.doe@example.com', name: 'Jane Doe', phone: '+44 20 7946 0958', address: '221B Example Street, London NW1 6XE, United Kingdom', company: 'Example Ltd', jobTitle: 'Product Manager', createdAt: '2023-04-12T09:30:00Z', language: 'en' },
    { customerId: 'C-1002', email: 'john.smith@example.org', name: 'John Smith', phone: '+1 555 0100', address: '1 Example Avenue, Springfield, USA', company: 'Example Inc', jobTitle: 'Engineer', createdAt: '2022-11-02T14:00:00Z', language: 'en' },
    { customerId: 'C-1003', email: 'amira.haddad@example.net', name: 'Amira Haddad', phone: '+33 1 23 45 67 89', address: '12 rue de l’Exemple, 75001 Paris, France', company: 'Exemple SARL', jobTitle: 'Designer', createdAt: '2024-02-20T08:15:00Z', language: 'fr' },
    { customerId: 'C-1004', email: 'lukas.muller@example.com', name: 'Lukas Müller', phone: '+49 30 901820', address: 'Beispielweg 5, 10115 Berlin, Germany', company: 'Beispiel GmbH', jobTitle: 'Analyst', createdAt: '2021-07-07T16:45:00Z', language: 'de' },
  ],
  'marketing-preferences': [
    { customerId: 'C-1001', newsletter: true, productUpdates: true, partnerOffers: false, consentGivenAt: '2023-04-12T09:31:00Z', consentSource: 'sign-up form' },
    { customerId: 'C-1003', newsletter: true, productUpdates: false, partnerOffers: true, consentGivenAt: '2024-02-20T08:16:00Z', consentSource: 'preference centre' },
    { customerId: 'C-1004', newsletter: false, productUpdates: true, partnerOffers: false, consentGivenAt: '2021-07-07T16:46:00Z', consentSource: 'sign-up form' },
  ],
  'support-tickets': [
    { customerId: 'C-1001', ticketId: 'T-5001', subject: 'Cannot change my password', status: 'closed', openedAt: '2024-01-15T10:00:00Z', messages: ['Hello, the reset link does not arrive.', 'Thanks, it works now.'] },
    { customerId: 'C-1001', ticketId: 'T-5002', subject: 'Invoice address', status: 'closed', openedAt: '2024-06-03T12:20:00Z', messages: ['Please put my company name on invoices.'] },
    { customerId: 'C-1001', ticketId: 'T-5003', subject: 'Export my projects', status: 'open', openedAt: '2025-09-30T08:05:00Z', messages: ['Can I download all my projects at once?'] },
    { customerId: 'C-1002', ticketId: 'T-5004', subject: 'Billing question', status: 'closed', openedAt: '2023-03-10T09:00:00Z', messages: ['Why was I charged twice?'] },
    { customerId: 'C-1004', ticketId: 'T-5005', subject: 'Sprache ändern', status: 'closed', openedAt: '2022-05-05T11:11:00Z', messages: ['Wie stelle ich die Sprache um?'] },
  ],
};

export const demoFiles: Record<string, readonly DemoFile[]> = {
  'uploaded-files': [
    { key: 'uploads/C-1001/profile-notes.txt', contentType: 'text/plain; charset=utf-8', body: 'Notes Jane uploaded: favourite colour blue, prefers email contact.\n' },
    { key: 'uploads/C-1001/cv.md', contentType: 'text/markdown; charset=utf-8', body: '# Jane Doe\n\nProduct Manager at Example Ltd.\n' },
    { key: 'uploads/C-1003/portfolio.txt', contentType: 'text/plain; charset=utf-8', body: 'Amira Haddad portfolio index.\n' },
  ],
};
