import type { StoreCatalog } from '../lambdas/domain/store-catalog.ts';

/**
 * The operator's store catalog: every place personal data lives. Replace the demo stores with
 * your own (`provision: 'existing'` and the real table or bucket name); the stack grants each
 * function access to exactly these, and the access report discloses what each `disclosure` says.
 * `translations` gives a store's requester-facing words in French, German and Spanish; a language
 * is given for every store and every text, or not at all (the catalog check refuses gaps).
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
      fields: { name: 'name', phone: 'phone', address: 'address', company: 'company', jobTitle: 'jobTitle' },
      erasure: { strategy: 'delete' },
      recipients: [{ name: 'Example Hosting Ltd (hosting processor)', email: 'privacy@hosting.example.com' }],
      disclosure: {
        categories: ['identity (name)', 'contact details (email, phone, postal address)', 'professional details (company, job title)', 'account settings'],
        purposes: ['providing the service you signed up for', 'account administration'],
        legalBasis: 'performance of a contract (GDPR Art. 6(1)(b))',
        recipients: ['our hosting provider (processor)'],
        retention: 'for as long as the account is open, then 90 days',
        source: 'you, when you created and edited your account',
      },
      translations: {
        fr: {
          name: 'Comptes clients',
          disclosure: {
            categories: [
              'identité (nom)',
              'coordonnées (e-mail, téléphone, adresse postale)',
              'informations professionnelles (entreprise, fonction)',
              'paramètres du compte',
            ],
            purposes: ['fournir le service auquel vous avez souscrit', 'gérer votre compte'],
            legalBasis: "exécution d'un contrat (RGPD, art. 6, par. 1, point b)",
            recipients: ['notre hébergeur (sous-traitant)'],
            retention: 'tant que le compte est ouvert, puis 90 jours',
            source: 'vous, lors de la création et de la modification de votre compte',
          },
        },
        de: {
          name: 'Kundenkonten',
          disclosure: {
            categories: [
              'Identität (Name)',
              'Kontaktdaten (E-Mail, Telefon, Postanschrift)',
              'berufliche Angaben (Unternehmen, Position)',
              'Kontoeinstellungen',
            ],
            purposes: ['Erbringung des Dienstes, für den Sie sich angemeldet haben', 'Kontoverwaltung'],
            legalBasis: 'Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)',
            recipients: ['unser Hosting-Anbieter (Auftragsverarbeiter)'],
            retention: 'solange das Konto besteht, danach 90 Tage',
            source: 'Sie, beim Anlegen und Bearbeiten Ihres Kontos',
          },
        },
        es: {
          name: 'Cuentas de clientes',
          disclosure: {
            categories: [
              'identidad (nombre)',
              'datos de contacto (correo electrónico, teléfono, dirección postal)',
              'datos profesionales (empresa, cargo)',
              'configuración de la cuenta',
            ],
            purposes: ['prestar el servicio que contrató', 'administrar su cuenta'],
            legalBasis: 'ejecución de un contrato (art. 6.1.b RGPD)',
            recipients: ['nuestro proveedor de alojamiento (encargado del tratamiento)'],
            retention: 'mientras la cuenta esté abierta y 90 días más',
            source: 'usted, al crear y modificar su cuenta',
          },
        },
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
      erasure: { strategy: 'delete' },
      marketingOptOut: { newsletter: false, productUpdates: false, partnerOffers: false },
      recipients: [{ name: 'Example Mailer (email delivery processor)', email: 'dpo@mailer.example.com' }],
      disclosure: {
        categories: ['communication preferences', 'consent records'],
        purposes: ['sending newsletters and offers you agreed to receive'],
        legalBasis: 'consent (GDPR Art. 6(1)(a))',
        recipients: ['our email delivery provider (processor)'],
        retention: 'until you withdraw consent, then 30 days',
        source: 'you, through the sign-up form and preference centre',
        automatedDecisions:
          'We choose which newsletter topics to send you from the ones you open (profiling). It has no legal or similarly significant effect on you, and you can object to it at any time.',
      },
      translations: {
        fr: {
          name: 'Préférences marketing',
          disclosure: {
            categories: ['préférences de communication', 'preuves de consentement'],
            purposes: ['vous envoyer les newsletters et offres que vous avez acceptées'],
            legalBasis: 'consentement (RGPD, art. 6, par. 1, point a)',
            recipients: ["notre prestataire d'envoi d'e-mails (sous-traitant)"],
            retention: "jusqu'au retrait de votre consentement, puis 30 jours",
            source: "vous, via le formulaire d'inscription et le centre de préférences",
            automatedDecisions:
              "Nous choisissons les thèmes de newsletter à vous envoyer d'après ceux que vous ouvrez (profilage). Cela n'a aucun effet juridique ni effet similaire important pour vous, et vous pouvez vous y opposer à tout moment.",
          },
        },
        de: {
          name: 'Werbeeinstellungen',
          disclosure: {
            categories: ['Kommunikationseinstellungen', 'Einwilligungsnachweise'],
            purposes: ['Versand von Newslettern und Angeboten, denen Sie zugestimmt haben'],
            legalBasis: 'Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)',
            recipients: ['unser E-Mail-Versanddienstleister (Auftragsverarbeiter)'],
            retention: 'bis Sie Ihre Einwilligung widerrufen, danach 30 Tage',
            source: 'Sie, über das Anmeldeformular und die Einstellungsseite',
            automatedDecisions:
              'Wir wählen die Newsletter-Themen, die wir Ihnen senden, danach aus, welche Sie öffnen (Profiling). Das hat keine rechtliche oder ähnlich erhebliche Wirkung für Sie, und Sie können jederzeit widersprechen.',
          },
        },
        es: {
          name: 'Preferencias de marketing',
          disclosure: {
            categories: ['preferencias de comunicación', 'registros de consentimiento'],
            purposes: ['enviarle los boletines y ofertas que aceptó recibir'],
            legalBasis: 'consentimiento (art. 6.1.a RGPD)',
            recipients: ['nuestro proveedor de envío de correo electrónico (encargado del tratamiento)'],
            retention: 'hasta que retire su consentimiento y 30 días más',
            source: 'usted, mediante el formulario de alta y el centro de preferencias',
            automatedDecisions:
              'Elegimos qué temas de boletín enviarle según los que abre (elaboración de perfiles). No tiene efectos jurídicos ni le afecta de forma similarmente significativa, y puede oponerse en cualquier momento.',
          },
        },
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
      fields: { name: 'contactName', phone: 'contactPhone' },
      erasure: { strategy: 'delete' },
      disclosure: {
        categories: ['support messages', 'contact details you gave us in them'],
        purposes: ['answering your questions and fixing problems'],
        legalBasis: 'performance of a contract (GDPR Art. 6(1)(b))',
        recipients: ['our help-desk software provider (processor)'],
        retention: '2 years after the ticket is closed',
        source: 'you, when you contacted support',
      },
      translations: {
        fr: {
          name: "Demandes d'assistance",
          disclosure: {
            categories: ["messages d'assistance", 'coordonnées que vous nous y avez données'],
            purposes: ['répondre à vos questions et résoudre les problèmes'],
            legalBasis: "exécution d'un contrat (RGPD, art. 6, par. 1, point b)",
            recipients: ["notre éditeur de logiciel d'assistance (sous-traitant)"],
            retention: '2 ans après la clôture de la demande',
            source: "vous, lorsque vous avez contacté l'assistance",
          },
        },
        de: {
          name: 'Support-Anfragen',
          disclosure: {
            categories: ['Support-Nachrichten', 'Kontaktdaten, die Sie uns darin genannt haben'],
            purposes: ['Ihre Fragen beantworten und Probleme beheben'],
            legalBasis: 'Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)',
            recipients: ['der Anbieter unserer Helpdesk-Software (Auftragsverarbeiter)'],
            retention: '2 Jahre nach Abschluss der Anfrage',
            source: 'Sie, als Sie den Support kontaktiert haben',
          },
        },
        es: {
          name: 'Consultas de soporte',
          disclosure: {
            categories: ['mensajes de soporte', 'datos de contacto que nos dio en ellos'],
            purposes: ['responder a sus preguntas y resolver problemas'],
            legalBasis: 'ejecución de un contrato (art. 6.1.b RGPD)',
            recipients: ['nuestro proveedor de software de atención al cliente (encargado del tratamiento)'],
            retention: '2 años después de cerrar la consulta',
            source: 'usted, al contactar con soporte',
          },
        },
      },
    },
    {
      id: 'survey-answers',
      name: 'Survey answers',
      kind: 'dynamodb',
      provision: 'demo',
      table: 'dsr-demo-survey-answers',
      keySchema: { partitionKey: 'customerId', sortKey: 'surveyId' },
      lookup: { identity: 'customerId', attribute: 'customerId' },
      // Scores feed product statistics: erasure unlinks them from you and drops your own words.
      erasure: { strategy: 'anonymize', attributes: ['comment', 'jobTitle'] },
      fields: { jobTitle: 'jobTitle' },
      disclosure: {
        categories: ['opinions and ratings', 'free-text comments'],
        purposes: ['improving our product'],
        legalBasis: 'legitimate interests (GDPR Art. 6(1)(f)): understanding what customers need',
        recipients: ['none outside our company'],
        retention: '3 years, after which answers are kept only as anonymous statistics',
        source: 'you, when you answered a survey',
      },
      translations: {
        fr: {
          name: 'Réponses aux enquêtes',
          disclosure: {
            categories: ['opinions et notes', 'commentaires libres'],
            purposes: ['améliorer notre produit'],
            legalBasis: 'intérêts légitimes (RGPD, art. 6, par. 1, point f) : comprendre les besoins de nos clients',
            recipients: ['personne en dehors de notre entreprise'],
            retention: '3 ans, après quoi les réponses ne sont conservées que sous forme de statistiques anonymes',
            source: 'vous, lorsque vous avez répondu à une enquête',
          },
        },
        de: {
          name: 'Umfrageantworten',
          disclosure: {
            categories: ['Meinungen und Bewertungen', 'Freitextkommentare'],
            purposes: ['Verbesserung unseres Produkts'],
            legalBasis: 'berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO): verstehen, was Kunden brauchen',
            recipients: ['niemand außerhalb unseres Unternehmens'],
            retention: '3 Jahre, danach nur noch als anonyme Statistik',
            source: 'Sie, als Sie an einer Umfrage teilgenommen haben',
          },
        },
        es: {
          name: 'Respuestas a encuestas',
          disclosure: {
            categories: ['opiniones y valoraciones', 'comentarios de texto libre'],
            purposes: ['mejorar nuestro producto'],
            legalBasis: 'interés legítimo (art. 6.1.f RGPD): entender qué necesitan los clientes',
            recipients: ['nadie fuera de nuestra empresa'],
            retention: '3 años; después, las respuestas solo se conservan como estadísticas anónimas',
            source: 'usted, al responder a una encuesta',
          },
        },
      },
    },
    {
      id: 'billing-records',
      name: 'Billing records',
      kind: 'dynamodb',
      provision: 'demo',
      table: 'dsr-demo-billing-records',
      keySchema: { partitionKey: 'customerId', sortKey: 'invoiceId' },
      // Invoices carry the customer's email, so they stay findable after the account is erased.
      lookup: { identity: 'email', attribute: 'email', indexName: 'by-email' },
      erasure: {
        strategy: 'retain',
        legalBasis: 'legal obligation to keep invoices for tax purposes (GDPR Art. 6(1)(c) and 17(3)(b); e.g. UK VAT rules, § 147 AO in Germany)',
        retentionPeriod: '10 years after the end of the year of the invoice',
        removeAttributes: ['phone', 'marketingSegment'],
      },
      // Invoices carry the phone and address they were issued with; tax law keeps them as issued.
      uncorrectable: {
        fields: ['phone', 'address'],
        reason: 'invoices already issued must be kept exactly as they were issued, as tax law requires; new invoices use the corrected details',
      },
      recipients: [{ name: 'Example Accounting LLP (external accountant)', email: 'privacy@accounting.example.com' }],
      disclosure: {
        categories: ['invoices and payments', 'billing address', 'contact phone'],
        purposes: ['billing', 'meeting tax and accounting obligations'],
        legalBasis: 'performance of a contract and legal obligation (GDPR Art. 6(1)(b) and (c))',
        recipients: ['our external accountant', 'tax authorities on request'],
        retention: '10 years after the end of the year of the invoice',
        source: 'you, and our payment provider',
      },
      translations: {
        fr: {
          name: 'Facturation',
          disclosure: {
            categories: ['factures et paiements', 'adresse de facturation', 'téléphone de contact'],
            purposes: ['facturation', 'respect de nos obligations fiscales et comptables'],
            legalBasis: "exécution d'un contrat et obligation légale (RGPD, art. 6, par. 1, points b et c)",
            recipients: ['notre expert-comptable externe', "l'administration fiscale, sur demande"],
            retention: "10 ans après la fin de l'année de la facture",
            source: 'vous, et notre prestataire de paiement',
          },
          erasure: {
            legalBasis:
              'obligation légale de conserver les factures à des fins fiscales (RGPD, art. 6, par. 1, point c, et art. 17, par. 3, point b ; p. ex. règles de TVA du Royaume-Uni, § 147 AO en Allemagne)',
            retentionPeriod: "10 ans après la fin de l'année de la facture",
          },
          uncorrectable: {
            reason:
              "les factures déjà émises doivent être conservées exactement telles qu'elles ont été émises, comme l'exige le droit fiscal ; les nouvelles factures utilisent les coordonnées rectifiées",
          },
        },
        de: {
          name: 'Abrechnungsunterlagen',
          disclosure: {
            categories: ['Rechnungen und Zahlungen', 'Rechnungsanschrift', 'Kontakttelefon'],
            purposes: ['Abrechnung', 'Erfüllung steuerlicher und buchhalterischer Pflichten'],
            legalBasis: 'Vertragserfüllung und rechtliche Verpflichtung (Art. 6 Abs. 1 lit. b und c DSGVO)',
            recipients: ['unser externer Steuerberater', 'Finanzbehörden auf Anfrage'],
            retention: '10 Jahre nach Ende des Rechnungsjahres',
            source: 'Sie und unser Zahlungsdienstleister',
          },
          erasure: {
            legalBasis:
              'gesetzliche Pflicht, Rechnungen für steuerliche Zwecke aufzubewahren (Art. 6 Abs. 1 lit. c und Art. 17 Abs. 3 lit. b DSGVO; z. B. § 147 AO, britische Umsatzsteuerregeln)',
            retentionPeriod: '10 Jahre nach Ende des Rechnungsjahres',
          },
          uncorrectable: {
            reason:
              'bereits ausgestellte Rechnungen so aufbewahrt werden müssen, wie sie ausgestellt wurden, wie es das Steuerrecht verlangt; neue Rechnungen verwenden die berichtigten Angaben',
          },
        },
        es: {
          name: 'Registros de facturación',
          disclosure: {
            categories: ['facturas y pagos', 'dirección de facturación', 'teléfono de contacto'],
            purposes: ['facturación', 'cumplir nuestras obligaciones fiscales y contables'],
            legalBasis: 'ejecución de un contrato y obligación legal (art. 6.1.b y 6.1.c RGPD)',
            recipients: ['nuestro asesor contable externo', 'la administración tributaria, si lo solicita'],
            retention: '10 años desde el final del año de la factura',
            source: 'usted y nuestro proveedor de pagos',
          },
          erasure: {
            legalBasis:
              'obligación legal de conservar las facturas a efectos fiscales (art. 6.1.c y 17.3.b RGPD; p. ej., normas del IVA del Reino Unido, § 147 AO en Alemania)',
            retentionPeriod: '10 años desde el final del año de la factura',
          },
          uncorrectable: {
            reason:
              'las facturas ya emitidas deben conservarse exactamente como se emitieron, tal como exige la normativa fiscal; las nuevas facturas usan los datos rectificados',
          },
        },
      },
    },
    {
      id: 'usage-events',
      name: 'Product usage history',
      kind: 'dynamodb',
      provision: 'demo',
      table: 'dsr-demo-usage-events',
      keySchema: { partitionKey: 'customerId', sortKey: 'occurredAt' },
      lookup: { identity: 'customerId', attribute: 'customerId' },
      erasure: { strategy: 'delete' },
      disclosure: {
        categories: ['usage data (features used, time, device type)'],
        purposes: ['keeping the service secure and reliable', 'understanding how the product is used'],
        legalBasis: 'legitimate interests (GDPR Art. 6(1)(f)): security and product improvement',
        recipients: ['none outside our company'],
        retention: '13 months',
        source: 'our systems, when you use the product',
      },
      translations: {
        fr: {
          name: "Historique d'utilisation du produit",
          disclosure: {
            categories: ["données d'utilisation (fonctions utilisées, heure, type d'appareil)"],
            purposes: ['garantir la sécurité et la fiabilité du service', "comprendre l'utilisation du produit"],
            legalBasis: 'intérêts légitimes (RGPD, art. 6, par. 1, point f) : sécurité et amélioration du produit',
            recipients: ['personne en dehors de notre entreprise'],
            retention: '13 mois',
            source: 'nos systèmes, lorsque vous utilisez le produit',
          },
        },
        de: {
          name: 'Nutzungsverlauf des Produkts',
          disclosure: {
            categories: ['Nutzungsdaten (verwendete Funktionen, Uhrzeit, Gerätetyp)'],
            purposes: ['Sicherheit und Zuverlässigkeit des Dienstes', 'verstehen, wie das Produkt genutzt wird'],
            legalBasis: 'berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO): Sicherheit und Produktverbesserung',
            recipients: ['niemand außerhalb unseres Unternehmens'],
            retention: '13 Monate',
            source: 'unsere Systeme, wenn Sie das Produkt nutzen',
          },
        },
        es: {
          name: 'Historial de uso del producto',
          disclosure: {
            categories: ['datos de uso (funciones utilizadas, hora, tipo de dispositivo)'],
            purposes: ['mantener el servicio seguro y fiable', 'entender cómo se usa el producto'],
            legalBasis: 'interés legítimo (art. 6.1.f RGPD): seguridad y mejora del producto',
            recipients: ['nadie fuera de nuestra empresa'],
            retention: '13 meses',
            source: 'nuestros sistemas, cuando usa el producto',
          },
        },
      },
    },
    {
      id: 'uploaded-files',
      name: 'Uploaded files',
      kind: 's3',
      provision: 'demo',
      bucket: 'dsr-demo-uploads',
      prefixTemplate: 'uploads/{customerId}/',
      erasure: { strategy: 'delete' },
      disclosure: {
        categories: ['files you uploaded (documents)'],
        purposes: ['storing the files you shared with us'],
        legalBasis: 'performance of a contract (GDPR Art. 6(1)(b))',
        recipients: ['our cloud storage provider (processor)'],
        retention: 'until you delete them or close your account',
        source: 'you, when you uploaded them',
      },
      translations: {
        fr: {
          name: 'Fichiers téléversés',
          disclosure: {
            categories: ['fichiers que vous avez téléversés (documents)'],
            purposes: ['conserver les fichiers que vous nous avez confiés'],
            legalBasis: "exécution d'un contrat (RGPD, art. 6, par. 1, point b)",
            recipients: ['notre fournisseur de stockage en ligne (sous-traitant)'],
            retention: "jusqu'à ce que vous les supprimiez ou fermiez votre compte",
            source: 'vous, lorsque vous les avez téléversés',
          },
        },
        de: {
          name: 'Hochgeladene Dateien',
          disclosure: {
            categories: ['von Ihnen hochgeladene Dateien (Dokumente)'],
            purposes: ['Speicherung der Dateien, die Sie mit uns geteilt haben'],
            legalBasis: 'Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)',
            recipients: ['unser Cloud-Speicher-Anbieter (Auftragsverarbeiter)'],
            retention: 'bis Sie sie löschen oder Ihr Konto schließen',
            source: 'Sie, beim Hochladen',
          },
        },
        es: {
          name: 'Archivos subidos',
          disclosure: {
            categories: ['archivos que subió (documentos)'],
            purposes: ['guardar los archivos que compartió con nosotros'],
            legalBasis: 'ejecución de un contrato (art. 6.1.b RGPD)',
            recipients: ['nuestro proveedor de almacenamiento en la nube (encargado del tratamiento)'],
            retention: 'hasta que los elimine o cierre su cuenta',
            source: 'usted, al subirlos',
          },
        },
      },
    },
    {
      id: 'profile-photos',
      name: 'Profile photos',
      kind: 's3',
      provision: 'demo',
      bucket: 'dsr-demo-profile-photos',
      prefixTemplate: 'photos/{customerId}/',
      versioned: true,
      erasure: { strategy: 'delete' },
      disclosure: {
        categories: ['photos of you'],
        purposes: ['showing your profile picture to your team'],
        legalBasis: 'consent (GDPR Art. 6(1)(a))',
        recipients: ['members of your team in the product'],
        retention: 'until you remove the photo or close your account (earlier versions included)',
        source: 'you, when you uploaded a photo',
      },
      translations: {
        fr: {
          name: 'Photos de profil',
          disclosure: {
            categories: ['photos de vous'],
            purposes: ['montrer votre photo de profil à votre équipe'],
            legalBasis: 'consentement (RGPD, art. 6, par. 1, point a)',
            recipients: ['les membres de votre équipe dans le produit'],
            retention: "jusqu'à ce que vous retiriez la photo ou fermiez votre compte (versions antérieures comprises)",
            source: 'vous, lorsque vous avez téléversé une photo',
          },
        },
        de: {
          name: 'Profilfotos',
          disclosure: {
            categories: ['Fotos von Ihnen'],
            purposes: ['Ihr Profilbild Ihrem Team zeigen'],
            legalBasis: 'Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)',
            recipients: ['Mitglieder Ihres Teams im Produkt'],
            retention: 'bis Sie das Foto entfernen oder Ihr Konto schließen (frühere Versionen eingeschlossen)',
            source: 'Sie, beim Hochladen eines Fotos',
          },
        },
        es: {
          name: 'Fotos de perfil',
          disclosure: {
            categories: ['fotos suyas'],
            purposes: ['mostrar su foto de perfil a su equipo'],
            legalBasis: 'consentimiento (art. 6.1.a RGPD)',
            recipients: ['los miembros de su equipo en el producto'],
            retention: 'hasta que quite la foto o cierre su cuenta (incluidas las versiones anteriores)',
            source: 'usted, al subir una foto',
          },
        },
      },
    },
    {
      id: 'crm-partner',
      name: 'Sales CRM (Example CRM Inc., processor)',
      kind: 'webhook',
      provision: 'demo',
      endpoint: { env: 'DSR_PARTNER_CRM_URL' },
      secretName: 'dsr-workflow/crm-partner',
      callbackTimeoutHours: 72,
      fields: { name: 'full_name', phone: 'phone', company: 'company', jobTitle: 'job_title' },
      marketingOptOut: { marketing_consent: false },
      erasure: { strategy: 'delete' },
      disclosure: {
        categories: ['contact details', 'sales conversations', 'marketing consent'],
        purposes: ['managing our relationship with you', 'sending offers you agreed to receive'],
        legalBasis: 'legitimate interests (GDPR Art. 6(1)(f)) and consent for marketing',
        recipients: ['Example CRM Inc. (processor)'],
        retention: 'while you are a customer, then 2 years',
        source: 'you, and our sales team',
        transfers: [
          {
            destination: 'United States (Example CRM Inc.)',
            safeguard: 'EU–US Data Privacy Framework certification, with standard contractual clauses as a fallback',
          },
        ],
      },
      translations: {
        fr: {
          name: 'CRM commercial (Example CRM Inc., sous-traitant)',
          disclosure: {
            categories: ['coordonnées', 'échanges commerciaux', 'consentement marketing'],
            purposes: ['gérer notre relation avec vous', 'vous envoyer les offres que vous avez acceptées'],
            legalBasis: 'intérêts légitimes (RGPD, art. 6, par. 1, point f) et consentement pour le marketing',
            recipients: ['Example CRM Inc. (sous-traitant)'],
            retention: 'tant que vous êtes client, puis 2 ans',
            source: 'vous, et notre équipe commerciale',
            transfers: [
              {
                destination: 'États-Unis (Example CRM Inc.)',
                safeguard: 'certification au cadre de protection des données UE–États-Unis, avec des clauses contractuelles types en solution de repli',
              },
            ],
          },
        },
        de: {
          name: 'Vertriebs-CRM (Example CRM Inc., Auftragsverarbeiter)',
          disclosure: {
            categories: ['Kontaktdaten', 'Vertriebsgespräche', 'Werbeeinwilligung'],
            purposes: ['Pflege unserer Beziehung zu Ihnen', 'Versand von Angeboten, denen Sie zugestimmt haben'],
            legalBasis: 'berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO) und Einwilligung für Werbung',
            recipients: ['Example CRM Inc. (Auftragsverarbeiter)'],
            retention: 'solange Sie Kunde sind, danach 2 Jahre',
            source: 'Sie und unser Vertriebsteam',
            transfers: [
              {
                destination: 'Vereinigte Staaten (Example CRM Inc.)',
                safeguard: 'Zertifizierung nach dem EU-US-Datenschutzrahmen, ersatzweise Standardvertragsklauseln',
              },
            ],
          },
        },
        es: {
          name: 'CRM de ventas (Example CRM Inc., encargado del tratamiento)',
          disclosure: {
            categories: ['datos de contacto', 'conversaciones comerciales', 'consentimiento de marketing'],
            purposes: ['gestionar nuestra relación con usted', 'enviarle las ofertas que aceptó recibir'],
            legalBasis: 'interés legítimo (art. 6.1.f RGPD) y consentimiento para el marketing',
            recipients: ['Example CRM Inc. (encargado del tratamiento)'],
            retention: 'mientras sea cliente y 2 años más',
            source: 'usted y nuestro equipo comercial',
            transfers: [
              {
                destination: 'Estados Unidos (Example CRM Inc.)',
                safeguard: 'certificación en el Marco de Privacidad de Datos UE-EE. UU., con cláusulas contractuales tipo como respaldo',
              },
            ],
          },
        },
      },
    },
    {
      id: 'paper-archive',
      name: 'Signed contracts archive (paper)',
      kind: 'manual',
      provision: 'demo',
      instructions:
        'Search the signed-contracts archive in the office for the customer id, and copy, correct or shred the papers as the request asks. Contracts under the 6-year limitation period are kept.',
      taskTimeoutHours: 240,
      erasure: {
        strategy: 'retain',
        legalBasis: 'establishment or defence of legal claims (GDPR Art. 17(3)(e))',
        retentionPeriod: '6 years after the contract ends',
      },
      disclosure: {
        categories: ['signed contracts', 'signatures'],
        purposes: ['proving the terms we agreed'],
        legalBasis: 'performance of a contract and legal claims (GDPR Art. 6(1)(b), 17(3)(e))',
        recipients: ['our lawyers, if a dispute arises'],
        retention: '6 years after the contract ends',
        source: 'you, when you signed',
      },
      translations: {
        fr: {
          name: 'Archives des contrats signés (papier)',
          disclosure: {
            categories: ['contrats signés', 'signatures'],
            purposes: ['prouver les conditions convenues'],
            legalBasis: "exécution d'un contrat et actions en justice (RGPD, art. 6, par. 1, point b, et art. 17, par. 3, point e)",
            recipients: ['nos avocats, en cas de litige'],
            retention: '6 ans après la fin du contrat',
            source: 'vous, lors de la signature',
          },
          erasure: {
            legalBasis: 'constatation, exercice ou défense de droits en justice (RGPD, art. 17, par. 3, point e)',
            retentionPeriod: '6 ans après la fin du contrat',
          },
        },
        de: {
          name: 'Archiv unterschriebener Verträge (Papier)',
          disclosure: {
            categories: ['unterschriebene Verträge', 'Unterschriften'],
            purposes: ['Nachweis der vereinbarten Bedingungen'],
            legalBasis: 'Vertragserfüllung und Rechtsansprüche (Art. 6 Abs. 1 lit. b, Art. 17 Abs. 3 lit. e DSGVO)',
            recipients: ['unsere Anwälte, falls es zu einem Streit kommt'],
            retention: '6 Jahre nach Vertragsende',
            source: 'Sie, bei der Unterschrift',
          },
          erasure: {
            legalBasis: 'Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen (Art. 17 Abs. 3 lit. e DSGVO)',
            retentionPeriod: '6 Jahre nach Vertragsende',
          },
        },
        es: {
          name: 'Archivo de contratos firmados (papel)',
          disclosure: {
            categories: ['contratos firmados', 'firmas'],
            purposes: ['acreditar las condiciones pactadas'],
            legalBasis: 'ejecución de un contrato y reclamaciones (art. 6.1.b y 17.3.e RGPD)',
            recipients: ['nuestros abogados, si surge un litigio'],
            retention: '6 años después de terminar el contrato',
            source: 'usted, al firmar',
          },
          erasure: {
            legalBasis: 'formulación, ejercicio o defensa de reclamaciones (art. 17.3.e RGPD)',
            retentionPeriod: '6 años después de terminar el contrato',
          },
        },
      },
    },
  ],
};
