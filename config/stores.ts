import type { StoreCatalog } from '../lambdas/domain/store-catalog.ts';

/**
 * The operator's store catalog: every place personal data lives. Replace the demo stores with
 * your own (`provision: 'existing'` and the real table or bucket name); the stack grants each
 * function access to exactly these, and the access report discloses what each `disclosure` says.
 */
export const storeCatalog: StoreCatalog = {
  identityResolvers: [{ storeId: 'accounts', attribute: 'customerId', as: 'customerId' }],
  stores: [
    {
      id: 'accounts',
      name: 'Customer accounts',
      kind: 'dynamodb',
      provision: 'demo',
      table: 'dsr-demo-accounts',
      keySchema: { partitionKey: 'customerId' },
      lookup: { identity: 'email', attribute: 'email', indexName: 'by-email' },
      disclosure: {
        categories: ['identity (name)', 'contact details (email, phone, postal address)', 'account settings'],
        purposes: ['providing the service you signed up for', 'account administration'],
        legalBasis: 'performance of a contract (GDPR Art. 6(1)(b))',
        recipients: ['our hosting provider (processor)'],
        retention: 'for as long as the account is open, then 90 days',
        source: 'you, when you created and edited your account',
      },
    },
    {
      id: 'marketing-preferences',
      name: 'Marketing preferences',
      kind: 'dynamodb',
      provision: 'demo',
      table: 'dsr-demo-marketing-preferences',
      keySchema: { partitionKey: 'customerId' },
      lookup: { identity: 'customerId', attribute: 'customerId' },
      disclosure: {
        categories: ['communication preferences', 'consent records'],
        purposes: ['sending newsletters and offers you agreed to receive'],
        legalBasis: 'consent (GDPR Art. 6(1)(a))',
        recipients: ['our email delivery provider (processor)'],
        retention: 'until you withdraw consent, then 30 days',
        source: 'you, through the sign-up form and preference centre',
      },
    },
    {
      id: 'support-tickets',
      name: 'Support tickets',
      kind: 'dynamodb',
      provision: 'demo',
      table: 'dsr-demo-support-tickets',
      keySchema: { partitionKey: 'customerId', sortKey: 'ticketId' },
      lookup: { identity: 'customerId', attribute: 'customerId' },
      disclosure: {
        categories: ['support messages', 'contact details you gave us in them'],
        purposes: ['answering your questions and fixing problems'],
        legalBasis: 'performance of a contract (GDPR Art. 6(1)(b))',
        recipients: ['our help-desk software provider (processor)'],
        retention: '2 years after the ticket is closed',
        source: 'you, when you contacted support',
      },
    },
    {
      id: 'uploaded-files',
      name: 'Uploaded files',
      kind: 's3',
      provision: 'demo',
      bucket: 'dsr-demo-uploads',
      prefixTemplate: 'uploads/{customerId}/',
      disclosure: {
        categories: ['files you uploaded (documents, images)'],
        purposes: ['storing the files you shared with us'],
        legalBasis: 'performance of a contract (GDPR Art. 6(1)(b))',
        recipients: ['our cloud storage provider (processor)'],
        retention: 'until you delete them or close your account',
        source: 'you, when you uploaded them',
      },
    },
  ],
};
