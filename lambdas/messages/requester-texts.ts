import type { RequesterLanguage } from '../domain/languages.ts';
import type { CorrectableField, RequestType } from '../domain/request.ts';

/**
 * What requesters read, in each language the request form offers: the mails and the access
 * report. Each language is one object of the same type, so a missing sentence is a type error.
 * The store catalog's own words (store names, legal bases, retention periods) come from the
 * catalog, in the request's language where the catalog gives it (`localizeStore`).
 */
/** A count and its noun: `one` and `other` as CLDR plural rules choose, `{n}` for the count. */
interface Counted {
  readonly one: string;
  readonly other: string;
}

export interface RequesterTexts {
  /** BCP 47 tag for dates and plural rules. */
  readonly locale: string;
  readonly requestTypes: Readonly<Record<RequestType, string>>;
  readonly fields: Readonly<Record<CorrectableField, string>>;
  readonly layout: {
    readonly statusLink: string;
    readonly copyLink: string;
    /** The reference every mail ends with; only the verification mail adds that it may be ignored (`verification.notYou`). */
    readonly footer: (requestId: string) => string;
    /** Between a label and what it names: ": ", or " : " in French. */
    readonly colon: string;
    /** The footer's line naming who answers: the organisation, its privacy notice and its contact (settings). */
    readonly sentBy: (organisation: string) => string;
    readonly privacyNotice: string;
    readonly contact: string;
    /** The label of an officer's message to the requester about one system, as written. */
    readonly officerMessage: string;
  };
  readonly verification: {
    readonly subject: string;
    readonly heading: string;
    readonly received: (type: string) => string;
    readonly openLink: (expires: string) => string;
    readonly answerBy: (due: string) => string;
    readonly action: string;
    /** Only here: a stranger may have typed this address, and ignoring the mail is then the right answer. */
    readonly notYou: string;
  };
  readonly accessCompleted: {
    readonly subject: string;
    readonly heading: string;
    readonly collected: string;
    readonly linkValid: (expires: string) => string;
    readonly action: string;
    readonly records: Counted;
  };
  readonly rejected: {
    readonly subject: string;
    readonly heading: string;
    readonly reason: (type: string, reason: string) => string;
    readonly rights: string;
    readonly reply: string;
  };
  readonly amendCompleted: {
    readonly subject: string;
    readonly heading: string;
    readonly asked: (fields: string) => string;
    /** Instead of `asked` when a system keeps a corrected field as it was (catalog `uncorrectable`): never "everywhere" then. */
    readonly askedWithExceptions: (fields: string) => string;
    /** That system's line: the field, and the catalog's reason (in this language). */
    readonly keptAsItWas: (field: string, reason: string) => string;
    readonly whatChanged: string;
    readonly updated: Counted;
    readonly alreadyCorrect: string;
    /** A system a person handles (no count recorded): said without inventing one. */
    readonly handledByStaff: string;
  };
  readonly deleteCompleted: {
    readonly subject: string;
    readonly heading: string;
    readonly erased: string;
    readonly backups: (days: number) => string;
    readonly perSystem: string;
    readonly deleted: Counted;
    readonly anonymized: Counted;
    readonly retained: Counted;
    /** After the retained count: why the records stay and until when, in the catalog's words. */
    readonly retainedWhy: (legalBasis: string, until: string) => string;
    readonly nothingHeld: string;
  };
  readonly objectionCompleted: {
    readonly subject: string;
    readonly heading: string;
    readonly recorded: string;
    readonly stillSent: string;
    readonly switchedOff: string;
  };
  readonly cancelled: { readonly subject: string; readonly heading: string; readonly stopped: (type: string) => string; readonly newRequest: string };
  readonly extension: {
    readonly subject: string;
    readonly heading: string;
    readonly working: (type: string, reason: string) => string;
    readonly newDate: (due: string, previous: string, policy: string) => string;
  };
  /**
   * A processor did not answer and an officer handled its part by hand: said for that system in
   * the closing mail (`mailLine`, after the system's result) and in the access report (`report`).
   */
  readonly handledByHand: { readonly mailLine: string; readonly report: string };
  readonly report: {
    readonly title: string;
    /** Who the report comes from: the organisation (the controller) that holds the data. */
    readonly from: (organisation: string) => string;
    readonly intro: (requestId: string, received: string, made: string, email: string) => string;
    /** Names the JSON file exactly as the requester downloads it (`personal-data-<requestId>.json`). */
    readonly machineReadable: (fileName: string) => string;
    /** The summary before the per-system sections: one row per system. */
    readonly summaryTitle: string;
    readonly summaryLead: string;
    readonly system: string;
    readonly outcome: string;
    /** What happened in a system, in the summary. */
    readonly status: { readonly included: string; readonly nothingHeld: string; readonly sentSeparately: string; readonly unavailable: string };
    readonly backToSummary: string;
    /** Record values that are true or false. */
    readonly yes: string;
    readonly no: string;
    /** The closing part: who holds the data and how to reach them. */
    readonly contactTitle: string;
    readonly controller: (organisation: string) => string;
    readonly what: string;
    readonly why: string;
    readonly legalBasis: string;
    readonly recipients: string;
    readonly retention: string;
    readonly source: string;
    readonly transfers: string;
    readonly automatedDecisions: string;
    /** What an absent transfer or automated-decision entry means: there is none. */
    readonly none: string;
    readonly records: string;
    readonly nothingHeld: string;
    readonly sentSeparately: string;
    readonly unavailable: string;
    readonly rightsTitle: string;
    readonly rights: readonly string[];
  };
}

const en: RequesterTexts = {
  locale: 'en-GB',
  requestTypes: {
    access: 'a copy of your personal data',
    amend: 'a correction of your personal data',
    delete: 'the deletion of your personal data',
    objection: 'an end to marketing messages',
  },
  fields: { name: 'name', phone: 'phone number', address: 'postal address', company: 'company', jobTitle: 'job title', email: 'email address' },
  layout: {
    statusLink: 'See where your request stands',
    copyLink: 'Or copy this address into your browser:',
    footer: (requestId) => `Request reference: ${requestId}.`,
    colon: ': ',
    sentBy: (organisation) => `Sent by ${organisation}.`,
    privacyNotice: 'Privacy notice',
    contact: 'Questions about your data',
    officerMessage: 'Message from our privacy team',
  },
  verification: {
    subject: 'Confirm your privacy request',
    heading: 'Please confirm your request',
    received: (type) => `We received a request for ${type}. To protect your data, we need to know that this mailbox is yours.`,
    openLink: (expires) => `Open the link below and press "Confirm". The link works until ${expires}.`,
    answerBy: (due) => `Once confirmed, we will answer by ${due} at the latest.`,
    action: 'Confirm my request',
    notYou: 'If you did not ask for this, you can ignore this email: nothing happens until the link is opened and confirmed.',
  },
  accessCompleted: {
    subject: 'Your personal data is ready to download',
    heading: 'Your copy of your personal data is ready',
    collected:
      'We collected the personal data we hold about you from each of our systems. The download holds a machine-readable file (JSON) and a readable report that also says why we hold the data, who receives it, how long we keep it and where it came from.',
    linkValid: (expires) => `For your security the download link works until ${expires}, and only from this email.`,
    action: 'Download my data',
    records: { one: '{n} record', other: '{n} records' },
  },
  rejected: {
    subject: 'About your privacy request',
    heading: 'We could not carry out your request',
    reason: (type, reason) => `We reviewed your request for ${type} and could not carry it out, for this reason: ${reason}`,
    rights:
      'You have the right to lodge a complaint with a data-protection supervisory authority, in particular in the country where you live or work, and the right to seek a judicial remedy.',
    reply: 'You are welcome to reply to this email if you think we made a mistake.',
  },
  amendCompleted: {
    subject: 'Your personal data has been corrected',
    heading: 'We corrected your personal data',
    asked: (fields) =>
      `You asked us to correct: ${fields}. We made the change in every system that holds it, and told the companies we share it with (GDPR Art. 19).`,
    askedWithExceptions: (fields) =>
      `You asked us to correct: ${fields}. We made the change in every system where it can be changed, and told the companies we share it with (GDPR Art. 19). Where a system keeps it as it was, we say so below, and why.`,
    keptAsItWas: (field, reason) => `your ${field} stays as it was here, because ${reason}`,
    whatChanged: 'Here is what changed where:',
    updated: { one: '{n} record updated', other: '{n} records updated' },
    alreadyCorrect: ' (already correct)',
    handledByStaff: 'handled by our staff',
  },
  deleteCompleted: {
    subject: 'Your personal data has been deleted',
    heading: 'We deleted your personal data',
    erased:
      'We erased the personal data we held about you in every one of our systems, checked afterwards that it is gone, and told the companies we had shared it with (GDPR Art. 19).',
    backups: (days) =>
      `Copies in our backups cannot be changed one by one; they expire on their own within ${days} days, and we never restore your data from them.`,
    perSystem: 'Here is what we did in each system:',
    deleted: { one: '{n} record deleted', other: '{n} records deleted' },
    anonymized: {
      one: '{n} record anonymised (kept only as statistics, no longer linked to you)',
      other: '{n} records anonymised (kept only as statistics, no longer linked to you)',
    },
    retained: { one: '{n} record kept', other: '{n} records kept' },
    retainedWhy: (legalBasis, until) => ` because ${legalBasis}, until ${until}, used for nothing else`,
    nothingHeld: 'nothing held about you',
  },
  objectionCompleted: {
    subject: 'You will no longer receive marketing from us',
    heading: 'We stopped all marketing to you',
    recorded:
      'Your objection to direct marketing (GDPR Art. 21) is recorded. We switched off every marketing preference we hold for you and told the companies that send marketing on our behalf.',
    stillSent: 'We still send messages you need for the service itself, such as security notices and invoices.',
    switchedOff: 'marketing switched off',
  },
  cancelled: {
    subject: 'Your privacy request is cancelled',
    heading: 'You cancelled your request',
    stopped: (type) => `As you asked, we stopped working on your request for ${type}. Nothing more will happen with it.`,
    newRequest: 'You can make a new request at any time.',
  },
  extension: {
    subject: 'We need more time for your privacy request',
    heading: 'We need more time for your request',
    working: (type, reason) => `We are working on your request for ${type}, and we need more time to complete it properly, for this reason: ${reason}`,
    newDate: (due, previous, policy) => `We will now answer by ${due} at the latest, instead of ${previous}, as the law (${policy}) allows.`,
  },
  handledByHand: {
    mailLine: "handled by hand by our privacy team, instead of the processor's automated answer",
    report: "Our privacy team handled this system by hand, instead of the processor's automated answer; they send you what they found separately.",
  },
  report: {
    title: 'Your personal data',
    intro: (requestId, received, made, email) => `Request ${requestId}, received ${received}, report made ${made}, for ${email}.`,
    from: (organisation) => `A copy of the personal data ${organisation} holds about you.`,
    machineReadable: (fileName) =>
      `The file ${fileName}, downloaded with this report, holds the same data in a machine-readable form you can take to another service.`,
    summaryTitle: 'Summary',
    summaryLead: 'Every system we searched, what we found there and how long we keep it. Select a system to see its details.',
    system: 'System',
    outcome: 'What we found',
    status: {
      included: 'Records included below',
      nothingHeld: 'Nothing held about you',
      sentSeparately: 'Searched by hand, sent separately',
      unavailable: 'Could not be searched in time, sent later',
    },
    backToSummary: 'Back to the summary',
    yes: 'Yes',
    no: 'No',
    contactTitle: 'Who holds your data',
    controller: (organisation) => `${organisation} is responsible for this data (the controller).`,
    what: 'What we hold',
    why: 'Why',
    legalBasis: 'Legal basis',
    recipients: 'Who receives it',
    retention: 'How long we keep it',
    source: 'Where it came from',
    transfers: 'Transfers outside the EEA, and their safeguards',
    automatedDecisions: 'Automated decisions, including profiling',
    none: 'None',
    records: 'Records',
    nothingHeld: 'We hold no data about you here.',
    sentSeparately: 'Our staff searched this system by hand; they send you what they found separately.',
    unavailable: 'This system could not be searched in time; we will send its data separately.',
    rightsTitle: 'Your rights',
    rights: [
      'You may ask us to correct data that is wrong (GDPR Art. 16).',
      'You may ask us to delete your data (GDPR Art. 17) or to restrict how we use it (Art. 18).',
      'You may receive the data you gave us in a machine-readable form, and have it sent to another organisation (Art. 20).',
      'You may object to processing based on our legitimate interests, and to direct marketing at any time (Art. 21).',
      'You may withdraw consent at any time, without affecting processing before the withdrawal.',
      'You may lodge a complaint with a data-protection supervisory authority.',
    ],
  },
};

const fr: RequesterTexts = {
  locale: 'fr-FR',
  requestTypes: {
    access: 'une copie de vos données personnelles',
    amend: 'la rectification de vos données personnelles',
    delete: "l'effacement de vos données personnelles",
    objection: "l'arrêt des messages marketing",
  },
  fields: { name: 'nom', phone: 'numéro de téléphone', address: 'adresse postale', company: 'entreprise', jobTitle: 'fonction', email: 'adresse e-mail' },
  layout: {
    statusLink: 'Voir où en est votre demande',
    copyLink: 'Ou copiez cette adresse dans votre navigateur :',
    footer: (requestId) => `Référence de la demande : ${requestId}.`,
    colon: ' : ',
    sentBy: (organisation) => `Envoyé par ${organisation}.`,
    privacyNotice: 'Politique de confidentialité',
    contact: 'Questions sur vos données',
    officerMessage: 'Message de notre équipe chargée de la protection des données',
  },
  verification: {
    subject: 'Confirmez votre demande relative à vos données',
    heading: 'Merci de confirmer votre demande',
    received: (type) =>
      `Nous avons reçu une demande portant sur ${type}. Pour protéger vos données, nous devons vérifier que cette boîte aux lettres vous appartient.`,
    openLink: (expires) => `Ouvrez le lien ci-dessous et appuyez sur « Confirmer ». Le lien est valable jusqu'au ${expires}.`,
    answerBy: (due) => `Une fois la demande confirmée, nous vous répondrons au plus tard le ${due}.`,
    action: 'Confirmer ma demande',
    notYou: "Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message : rien ne se passe tant que le lien n'est pas ouvert et confirmé.",
  },
  accessCompleted: {
    subject: 'Vos données personnelles sont prêtes à être téléchargées',
    heading: 'La copie de vos données personnelles est prête',
    collected:
      "Nous avons rassemblé les données personnelles que nous détenons sur vous dans chacun de nos systèmes. Le téléchargement contient un fichier lisible par machine (JSON) et un rapport lisible qui indique aussi pourquoi nous détenons ces données, qui les reçoit, combien de temps nous les conservons et d'où elles proviennent.",
    linkValid: (expires) => `Pour votre sécurité, le lien de téléchargement est valable jusqu'au ${expires}, et uniquement depuis ce message.`,
    action: 'Télécharger mes données',
    records: { one: '{n} enregistrement', other: '{n} enregistrements' },
  },
  rejected: {
    subject: 'À propos de votre demande relative à vos données',
    heading: "Nous n'avons pas pu donner suite à votre demande",
    reason: (type, reason) => `Nous avons examiné votre demande portant sur ${type} et n'avons pas pu y donner suite, pour la raison suivante : ${reason}`,
    rights:
      "Vous avez le droit d'introduire une réclamation auprès d'une autorité de contrôle de la protection des données, notamment dans le pays où vous vivez ou travaillez, ainsi que le droit de former un recours juridictionnel.",
    reply: "N'hésitez pas à répondre à ce message si vous pensez que nous avons commis une erreur.",
  },
  amendCompleted: {
    subject: 'Vos données personnelles ont été rectifiées',
    heading: 'Nous avons rectifié vos données personnelles',
    asked: (fields) =>
      `Vous nous avez demandé de rectifier : ${fields}. Nous avons fait la modification dans chaque système qui contient ces données et en avons informé les entreprises avec lesquelles nous les partageons (RGPD, art. 19).`,
    askedWithExceptions: (fields) =>
      `Vous nous avez demandé de rectifier : ${fields}. Nous avons fait la modification dans chaque système où elle est possible et en avons informé les entreprises avec lesquelles nous partageons ces données (RGPD, art. 19). Lorsqu’un système les conserve telles quelles, nous l’indiquons ci-dessous, avec la raison.`,
    keptAsItWas: (field, reason) => `nous ne pouvons pas modifier ici votre ${field}, car ${reason}`,
    whatChanged: 'Voici ce qui a changé, et où :',
    updated: { one: '{n} enregistrement mis à jour', other: '{n} enregistrements mis à jour' },
    alreadyCorrect: ' (déjà correct)',
    handledByStaff: 'traité par notre personnel',
  },
  deleteCompleted: {
    subject: 'Vos données personnelles ont été effacées',
    heading: 'Nous avons effacé vos données personnelles',
    erased:
      "Nous avons effacé les données personnelles que nous détenions sur vous dans chacun de nos systèmes, vérifié ensuite qu'elles avaient disparu, et informé les entreprises avec lesquelles nous les avions partagées (RGPD, art. 19).",
    backups: (days) =>
      `Les copies de nos sauvegardes ne peuvent pas être modifiées une à une ; elles expirent d'elles-mêmes dans un délai de ${days} jours, et nous n'en restaurons jamais vos données.`,
    perSystem: 'Voici ce que nous avons fait dans chaque système :',
    deleted: { one: '{n} enregistrement supprimé', other: '{n} enregistrements supprimés' },
    anonymized: {
      one: '{n} enregistrement anonymisé (conservé uniquement à des fins statistiques, sans lien avec vous)',
      other: '{n} enregistrements anonymisés (conservés uniquement à des fins statistiques, sans lien avec vous)',
    },
    retained: { one: '{n} enregistrement conservé', other: '{n} enregistrements conservés' },
    retainedWhy: (legalBasis, until) => ` — motif : ${legalBasis} ; durée : ${until} ; aucun autre usage`,
    nothingHeld: 'aucune donnée vous concernant',
  },
  objectionCompleted: {
    subject: 'Vous ne recevrez plus de marketing de notre part',
    heading: 'Nous avons arrêté tout marketing à votre égard',
    recorded:
      'Votre opposition à la prospection (RGPD, art. 21) est enregistrée. Nous avons désactivé toutes vos préférences marketing et en avons informé les entreprises qui envoient du marketing pour notre compte.',
    stillSent: 'Nous vous envoyons toujours les messages nécessaires au service lui-même, comme les alertes de sécurité et les factures.',
    switchedOff: 'marketing désactivé',
  },
  cancelled: {
    subject: 'Votre demande relative à vos données est annulée',
    heading: 'Vous avez annulé votre demande',
    stopped: (type) => `Comme vous l'avez demandé, nous avons arrêté de traiter votre demande portant sur ${type}. Il ne se passera plus rien.`,
    newRequest: 'Vous pouvez faire une nouvelle demande à tout moment.',
  },
  extension: {
    subject: 'Nous avons besoin de plus de temps pour votre demande',
    heading: 'Nous avons besoin de plus de temps pour votre demande',
    working: (type, reason) =>
      `Nous traitons votre demande portant sur ${type} et avons besoin de plus de temps pour la mener à bien, pour la raison suivante : ${reason}`,
    newDate: (due, previous, policy) => `Nous vous répondrons désormais au plus tard le ${due}, au lieu du ${previous}, comme la loi (${policy}) le permet.`,
  },
  handledByHand: {
    mailLine: 'traité à la main par notre équipe chargée de la protection des données, au lieu de la réponse automatique du sous-traitant',
    report:
      'Notre équipe chargée de la protection des données a traité ce système à la main, au lieu de la réponse automatique du sous-traitant ; elle vous envoie séparément ce qu’elle a trouvé.',
  },
  report: {
    title: 'Vos données personnelles',
    intro: (requestId, received, made, email) => `Demande ${requestId}, reçue le ${received}, rapport établi le ${made}, pour ${email}.`,
    from: (organisation) => `Copie des données personnelles vous concernant détenues par ${organisation}.`,
    machineReadable: (fileName) =>
      `Le fichier ${fileName}, téléchargé avec ce rapport, contient les mêmes données sous une forme lisible par machine, que vous pouvez transmettre à un autre service.`,
    summaryTitle: 'Résumé',
    summaryLead:
      'Chaque système consulté, ce que nous y avons trouvé et combien de temps nous conservons ces données. Sélectionnez un système pour en voir le détail.',
    system: 'Système',
    outcome: 'Ce que nous avons trouvé',
    status: {
      included: 'Enregistrements présentés ci-dessous',
      nothingHeld: 'Aucune donnée vous concernant',
      sentSeparately: 'Consulté à la main, envoyé séparément',
      unavailable: "N'a pas pu être consulté à temps, envoyé plus tard",
    },
    backToSummary: 'Retour au résumé',
    yes: 'Oui',
    no: 'Non',
    contactTitle: 'Qui détient vos données',
    controller: (organisation) => `${organisation} est responsable de ces données (responsable du traitement).`,
    what: 'Ce que nous détenons',
    why: 'Pourquoi',
    legalBasis: 'Base juridique',
    recipients: 'Qui les reçoit',
    retention: 'Combien de temps nous les conservons',
    source: "D'où elles proviennent",
    transfers: "Transferts hors de l'EEE, et leurs garanties",
    automatedDecisions: 'Décisions automatisées, y compris le profilage',
    none: 'Aucun',
    records: 'Enregistrements',
    nothingHeld: 'Nous ne détenons ici aucune donnée vous concernant.',
    sentSeparately: 'Notre équipe a consulté ce système à la main ; elle vous envoie séparément ce qu’elle a trouvé.',
    unavailable: "Ce système n'a pas pu être consulté à temps ; nous vous enverrons ses données séparément.",
    rightsTitle: 'Vos droits',
    rights: [
      'Vous pouvez nous demander de rectifier des données inexactes (RGPD, art. 16).',
      "Vous pouvez nous demander d'effacer vos données (RGPD, art. 17) ou d'en limiter l'utilisation (art. 18).",
      'Vous pouvez recevoir les données que vous nous avez fournies dans un format lisible par machine, et les faire transmettre à un autre organisme (art. 20).',
      'Vous pouvez vous opposer à un traitement fondé sur nos intérêts légitimes, et à la prospection à tout moment (art. 21).',
      'Vous pouvez retirer votre consentement à tout moment, sans remettre en cause le traitement effectué avant ce retrait.',
      "Vous pouvez introduire une réclamation auprès d'une autorité de contrôle de la protection des données.",
    ],
  },
};

const de: RequesterTexts = {
  locale: 'de-DE',
  requestTypes: {
    access: 'eine Kopie Ihrer personenbezogenen Daten',
    amend: 'die Berichtigung Ihrer personenbezogenen Daten',
    delete: 'die Löschung Ihrer personenbezogenen Daten',
    objection: 'ein Ende der Werbenachrichten',
  },
  fields: { name: 'Name', phone: 'Telefonnummer', address: 'Postanschrift', company: 'Unternehmen', jobTitle: 'Position', email: 'E-Mail-Adresse' },
  layout: {
    statusLink: 'Sehen Sie, wo Ihr Antrag steht',
    copyLink: 'Oder kopieren Sie diese Adresse in Ihren Browser:',
    footer: (requestId) => `Referenz des Antrags: ${requestId}.`,
    colon: ': ',
    sentBy: (organisation) => `Gesendet von ${organisation}.`,
    privacyNotice: 'Datenschutzerklärung',
    contact: 'Fragen zu Ihren Daten',
    officerMessage: 'Nachricht unseres Datenschutzteams',
  },
  verification: {
    subject: 'Bestätigen Sie Ihren Datenschutzantrag',
    heading: 'Bitte bestätigen Sie Ihren Antrag',
    received: (type) => `Wir haben einen Antrag auf ${type} erhalten. Zum Schutz Ihrer Daten müssen wir wissen, dass dieses Postfach Ihnen gehört.`,
    openLink: (expires) => `Öffnen Sie den Link unten und klicken Sie auf „Bestätigen“. Der Link ist bis zum ${expires} gültig.`,
    answerBy: (due) => `Nach Ihrer Bestätigung antworten wir spätestens bis zum ${due}.`,
    action: 'Meinen Antrag bestätigen',
    notYou: 'Wenn Sie diesen Antrag nicht gestellt haben, können Sie diese E-Mail ignorieren: Ohne Bestätigung über den Link geschieht nichts.',
  },
  accessCompleted: {
    subject: 'Ihre personenbezogenen Daten stehen zum Download bereit',
    heading: 'Ihre Kopie Ihrer personenbezogenen Daten ist bereit',
    collected:
      'Wir haben die personenbezogenen Daten, die wir über Sie gespeichert haben, aus jedem unserer Systeme zusammengetragen. Der Download enthält eine maschinenlesbare Datei (JSON) und einen lesbaren Bericht, der auch angibt, warum wir die Daten speichern, wer sie erhält, wie lange wir sie aufbewahren und woher sie stammen.',
    linkValid: (expires) => `Zu Ihrer Sicherheit ist der Download-Link bis zum ${expires} gültig, und nur aus dieser E-Mail.`,
    action: 'Meine Daten herunterladen',
    records: { one: '{n} Datensatz', other: '{n} Datensätze' },
  },
  rejected: {
    subject: 'Zu Ihrem Datenschutzantrag',
    heading: 'Wir konnten Ihren Antrag nicht ausführen',
    reason: (type, reason) => `Wir haben Ihren Antrag auf ${type} geprüft und konnten ihn aus folgendem Grund nicht ausführen: ${reason}`,
    rights:
      'Sie haben das Recht, Beschwerde bei einer Datenschutz-Aufsichtsbehörde einzulegen, insbesondere in dem Land, in dem Sie leben oder arbeiten, sowie das Recht auf einen gerichtlichen Rechtsbehelf.',
    reply: 'Antworten Sie gern auf diese E-Mail, wenn Sie meinen, dass uns ein Fehler unterlaufen ist.',
  },
  amendCompleted: {
    subject: 'Ihre personenbezogenen Daten wurden berichtigt',
    heading: 'Wir haben Ihre personenbezogenen Daten berichtigt',
    asked: (fields) =>
      `Sie haben uns gebeten, Folgendes zu berichtigen: ${fields}. Wir haben die Änderung in jedem System vorgenommen, das diese Daten enthält, und die Unternehmen informiert, mit denen wir sie teilen (DSGVO Art. 19).`,
    askedWithExceptions: (fields) =>
      `Sie haben uns gebeten, Folgendes zu berichtigen: ${fields}. Wir haben die Änderung in jedem System vorgenommen, in dem sie möglich ist, und die Unternehmen informiert, mit denen wir diese Daten teilen (DSGVO Art. 19). Wo ein System sie unverändert behält, sagen wir es unten, mit dem Grund.`,
    keptAsItWas: (field, reason) => `Ihre Angabe „${field}“ bleibt hier unverändert, weil ${reason}`,
    whatChanged: 'Das hat sich wo geändert:',
    updated: { one: '{n} Datensatz aktualisiert', other: '{n} Datensätze aktualisiert' },
    alreadyCorrect: ' (bereits korrekt)',
    handledByStaff: 'von unseren Mitarbeitenden bearbeitet',
  },
  deleteCompleted: {
    subject: 'Ihre personenbezogenen Daten wurden gelöscht',
    heading: 'Wir haben Ihre personenbezogenen Daten gelöscht',
    erased:
      'Wir haben die personenbezogenen Daten, die wir über Sie gespeichert hatten, in jedem unserer Systeme gelöscht, danach geprüft, dass sie entfernt sind, und die Unternehmen informiert, mit denen wir sie geteilt hatten (DSGVO Art. 19).',
    backups: (days) =>
      `Kopien in unseren Sicherungen lassen sich nicht einzeln ändern; sie laufen innerhalb von ${days} Tagen von selbst ab, und wir stellen Ihre Daten nie aus ihnen wieder her.`,
    perSystem: 'Das haben wir in jedem System getan:',
    deleted: { one: '{n} Datensatz gelöscht', other: '{n} Datensätze gelöscht' },
    anonymized: {
      one: '{n} Datensatz anonymisiert (nur noch als Statistik vorhanden, nicht mehr mit Ihnen verknüpft)',
      other: '{n} Datensätze anonymisiert (nur noch als Statistik vorhanden, nicht mehr mit Ihnen verknüpft)',
    },
    retained: { one: '{n} Datensatz aufbewahrt', other: '{n} Datensätze aufbewahrt' },
    retainedWhy: (legalBasis, until) => ` – Grund: ${legalBasis}; bis: ${until}; für nichts anderes verwendet`,
    nothingHeld: 'keine Daten über Sie gespeichert',
  },
  objectionCompleted: {
    subject: 'Sie erhalten keine Werbung mehr von uns',
    heading: 'Wir haben alle Werbung an Sie eingestellt',
    recorded:
      'Ihr Widerspruch gegen Direktwerbung (DSGVO Art. 21) ist erfasst. Wir haben alle Ihre Werbeeinstellungen abgeschaltet und die Unternehmen informiert, die in unserem Auftrag Werbung versenden.',
    stillSent: 'Nachrichten, die Sie für den Dienst selbst brauchen, etwa Sicherheitshinweise und Rechnungen, senden wir weiterhin.',
    switchedOff: 'Werbung abgeschaltet',
  },
  cancelled: {
    subject: 'Ihr Datenschutzantrag ist storniert',
    heading: 'Sie haben Ihren Antrag storniert',
    stopped: (type) => `Wie gewünscht haben wir die Arbeit an Ihrem Antrag auf ${type} eingestellt. Damit geschieht nichts mehr.`,
    newRequest: 'Sie können jederzeit einen neuen Antrag stellen.',
  },
  extension: {
    subject: 'Wir brauchen mehr Zeit für Ihren Datenschutzantrag',
    heading: 'Wir brauchen mehr Zeit für Ihren Antrag',
    working: (type, reason) => `Wir bearbeiten Ihren Antrag auf ${type} und brauchen aus folgendem Grund mehr Zeit, um ihn sorgfältig abzuschließen: ${reason}`,
    newDate: (due, previous, policy) => `Wir antworten nun spätestens bis zum ${due} statt bis zum ${previous}, wie es das Gesetz (${policy}) erlaubt.`,
  },
  handledByHand: {
    mailLine: 'von unserem Datenschutzteam von Hand bearbeitet, statt durch die automatische Antwort des Auftragsverarbeiters',
    report:
      'Unser Datenschutzteam hat dieses System von Hand bearbeitet, statt durch die automatische Antwort des Auftragsverarbeiters; was es gefunden hat, sendet es Ihnen gesondert.',
  },
  report: {
    title: 'Ihre personenbezogenen Daten',
    intro: (requestId, received, made, email) => `Antrag ${requestId}, eingegangen am ${received}, Bericht erstellt am ${made}, für ${email}.`,
    from: (organisation) => `Eine Kopie der personenbezogenen Daten, die ${organisation} über Sie gespeichert hat.`,
    machineReadable: (fileName) =>
      `Die Datei ${fileName}, die Sie mit diesem Bericht heruntergeladen haben, enthält dieselben Daten in maschinenlesbarer Form, die Sie zu einem anderen Dienst mitnehmen können.`,
    summaryTitle: 'Übersicht',
    summaryLead:
      'Jedes System, das wir durchsucht haben, was wir dort gefunden haben und wie lange wir die Daten aufbewahren. Wählen Sie ein System, um die Einzelheiten zu sehen.',
    system: 'System',
    outcome: 'Was wir gefunden haben',
    status: {
      included: 'Datensätze unten aufgeführt',
      nothingHeld: 'Keine Daten über Sie gespeichert',
      sentSeparately: 'Von Hand durchsucht, gesondert zugesandt',
      unavailable: 'Konnte nicht rechtzeitig durchsucht werden, folgt gesondert',
    },
    backToSummary: 'Zurück zur Übersicht',
    yes: 'Ja',
    no: 'Nein',
    contactTitle: 'Wer für Ihre Daten verantwortlich ist',
    controller: (organisation) => `${organisation} ist für diese Daten verantwortlich (Verantwortlicher).`,
    what: 'Was wir speichern',
    why: 'Warum',
    legalBasis: 'Rechtsgrundlage',
    recipients: 'Wer sie erhält',
    retention: 'Wie lange wir sie aufbewahren',
    source: 'Woher sie stammen',
    transfers: 'Übermittlungen außerhalb des EWR und ihre Garantien',
    automatedDecisions: 'Automatisierte Entscheidungen einschließlich Profiling',
    none: 'Keine',
    records: 'Datensätze',
    nothingHeld: 'Hier speichern wir keine Daten über Sie.',
    sentSeparately: 'Unsere Mitarbeitenden haben dieses System von Hand durchsucht; was sie gefunden haben, senden sie Ihnen gesondert.',
    unavailable: 'Dieses System konnte nicht rechtzeitig durchsucht werden; wir senden Ihnen seine Daten gesondert.',
    rightsTitle: 'Ihre Rechte',
    rights: [
      'Sie können verlangen, dass wir unrichtige Daten berichtigen (DSGVO Art. 16).',
      'Sie können verlangen, dass wir Ihre Daten löschen (DSGVO Art. 17) oder ihre Verarbeitung einschränken (Art. 18).',
      'Sie können die Daten, die Sie uns gegeben haben, in einem maschinenlesbaren Format erhalten und an eine andere Stelle übermitteln lassen (Art. 20).',
      'Sie können einer Verarbeitung auf Grundlage unserer berechtigten Interessen widersprechen, und der Direktwerbung jederzeit (Art. 21).',
      'Sie können eine Einwilligung jederzeit widerrufen, ohne dass die Verarbeitung vor dem Widerruf berührt wird.',
      'Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren.',
    ],
  },
};

const es: RequesterTexts = {
  locale: 'es-ES',
  requestTypes: {
    access: 'una copia de sus datos personales',
    amend: 'la rectificación de sus datos personales',
    delete: 'la supresión de sus datos personales',
    objection: 'el fin de los mensajes de marketing',
  },
  fields: {
    name: 'nombre',
    phone: 'número de teléfono',
    address: 'dirección postal',
    company: 'empresa',
    jobTitle: 'cargo',
    email: 'dirección de correo electrónico',
  },
  layout: {
    statusLink: 'Vea en qué punto está su solicitud',
    copyLink: 'O copie esta dirección en su navegador:',
    footer: (requestId) => `Referencia de la solicitud: ${requestId}.`,
    colon: ': ',
    sentBy: (organisation) => `Enviado por ${organisation}.`,
    privacyNotice: 'Política de privacidad',
    contact: 'Preguntas sobre sus datos',
    officerMessage: 'Mensaje de nuestro equipo de privacidad',
  },
  verification: {
    subject: 'Confirme su solicitud sobre sus datos',
    heading: 'Confirme su solicitud',
    received: (type) => `Hemos recibido una solicitud de ${type}. Para proteger sus datos, necesitamos saber que este buzón es suyo.`,
    openLink: (expires) => `Abra el enlace de abajo y pulse «Confirmar». El enlace es válido hasta el ${expires}.`,
    answerBy: (due) => `Una vez confirmada, le responderemos a más tardar el ${due}.`,
    action: 'Confirmar mi solicitud',
    notYou: 'Si usted no ha hecho esta solicitud, puede ignorar este mensaje: no ocurrirá nada mientras no abra el enlace y confirme.',
  },
  accessCompleted: {
    subject: 'Sus datos personales están listos para descargar',
    heading: 'La copia de sus datos personales está lista',
    collected:
      'Hemos reunido los datos personales que tenemos sobre usted en cada uno de nuestros sistemas. La descarga contiene un archivo legible por máquina (JSON) y un informe legible que también explica por qué tenemos los datos, quién los recibe, cuánto tiempo los conservamos y de dónde proceden.',
    linkValid: (expires) => `Por su seguridad, el enlace de descarga es válido hasta el ${expires}, y solo desde este mensaje.`,
    action: 'Descargar mis datos',
    records: { one: '{n} registro', other: '{n} registros' },
  },
  rejected: {
    subject: 'Sobre su solicitud relativa a sus datos',
    heading: 'No hemos podido atender su solicitud',
    reason: (type, reason) => `Hemos revisado su solicitud de ${type} y no hemos podido atenderla, por el siguiente motivo: ${reason}`,
    rights:
      'Tiene derecho a presentar una reclamación ante una autoridad de control de protección de datos, en particular en el país donde vive o trabaja, y derecho a la tutela judicial efectiva.',
    reply: 'Puede responder a este mensaje si cree que nos hemos equivocado.',
  },
  amendCompleted: {
    subject: 'Sus datos personales han sido rectificados',
    heading: 'Hemos rectificado sus datos personales',
    asked: (fields) =>
      `Nos pidió rectificar: ${fields}. Hicimos el cambio en todos los sistemas que contienen esos datos e informamos a las empresas con las que los compartimos (RGPD, art. 19).`,
    askedWithExceptions: (fields) =>
      `Nos pidió rectificar: ${fields}. Hicimos el cambio en todos los sistemas donde es posible e informamos a las empresas con las que compartimos esos datos (RGPD, art. 19). Cuando un sistema los conserva tal como estaban, lo indicamos abajo, con el motivo.`,
    keptAsItWas: (field, reason) => `su ${field} se mantiene aquí sin cambios, porque ${reason}`,
    whatChanged: 'Esto es lo que cambió y dónde:',
    updated: { one: '{n} registro actualizado', other: '{n} registros actualizados' },
    alreadyCorrect: ' (ya era correcto)',
    handledByStaff: 'gestionado por nuestro personal',
  },
  deleteCompleted: {
    subject: 'Sus datos personales han sido suprimidos',
    heading: 'Hemos suprimido sus datos personales',
    erased:
      'Hemos suprimido los datos personales que teníamos sobre usted en todos nuestros sistemas, hemos comprobado después que ya no están e informamos a las empresas con las que los habíamos compartido (RGPD, art. 19).',
    backups: (days) =>
      `Las copias de nuestras copias de seguridad no se pueden modificar una a una; caducan por sí solas en un plazo de ${days} días, y nunca restauramos sus datos a partir de ellas.`,
    perSystem: 'Esto es lo que hicimos en cada sistema:',
    deleted: { one: '{n} registro suprimido', other: '{n} registros suprimidos' },
    anonymized: {
      one: '{n} registro anonimizado (se conserva solo como estadística, ya no vinculado a usted)',
      other: '{n} registros anonimizados (se conservan solo como estadística, ya no vinculados a usted)',
    },
    retained: { one: '{n} registro conservado', other: '{n} registros conservados' },
    retainedWhy: (legalBasis, until) => ` — motivo: ${legalBasis}; plazo: ${until}; sin ningún otro uso`,
    nothingHeld: 'no tenemos datos sobre usted',
  },
  objectionCompleted: {
    subject: 'Ya no recibirá marketing de nuestra parte',
    heading: 'Hemos dejado de enviarle marketing',
    recorded:
      'Hemos registrado su oposición al marketing directo (RGPD, art. 21). Desactivamos todas sus preferencias de marketing e informamos a las empresas que envían marketing en nuestro nombre.',
    stillSent: 'Seguimos enviándole los mensajes que necesita para el propio servicio, como avisos de seguridad y facturas.',
    switchedOff: 'marketing desactivado',
  },
  cancelled: {
    subject: 'Su solicitud sobre sus datos está cancelada',
    heading: 'Ha cancelado su solicitud',
    stopped: (type) => `Tal como pidió, hemos dejado de tramitar su solicitud de ${type}. No se hará nada más con ella.`,
    newRequest: 'Puede hacer una nueva solicitud en cualquier momento.',
  },
  extension: {
    subject: 'Necesitamos más tiempo para su solicitud',
    heading: 'Necesitamos más tiempo para su solicitud',
    working: (type, reason) =>
      `Estamos tramitando su solicitud de ${type} y necesitamos más tiempo para completarla correctamente, por el siguiente motivo: ${reason}`,
    newDate: (due, previous, policy) => `Ahora le responderemos a más tardar el ${due}, en lugar del ${previous}, como permite la ley (${policy}).`,
  },
  handledByHand: {
    mailLine: 'gestionado a mano por nuestro equipo de privacidad, en lugar de la respuesta automática del encargado del tratamiento',
    report:
      'Nuestro equipo de privacidad ha gestionado este sistema a mano, en lugar de la respuesta automática del encargado del tratamiento; le enviará por separado lo que haya encontrado.',
  },
  report: {
    title: 'Sus datos personales',
    intro: (requestId, received, made, email) => `Solicitud ${requestId}, recibida el ${received}, informe elaborado el ${made}, para ${email}.`,
    from: (organisation) => `Copia de los datos personales que ${organisation} tiene sobre usted.`,
    machineReadable: (fileName) =>
      `El archivo ${fileName}, descargado con este informe, contiene los mismos datos en un formato legible por máquina que puede llevar a otro servicio.`,
    summaryTitle: 'Resumen',
    summaryLead:
      'Cada sistema que hemos consultado, lo que encontramos en él y cuánto tiempo conservamos los datos. Seleccione un sistema para ver el detalle.',
    system: 'Sistema',
    outcome: 'Lo que encontramos',
    status: {
      included: 'Registros incluidos más abajo',
      nothingHeld: 'Ningún dato sobre usted',
      sentSeparately: 'Revisado a mano, enviado por separado',
      unavailable: 'No se pudo consultar a tiempo, se enviará después',
    },
    backToSummary: 'Volver al resumen',
    yes: 'Sí',
    no: 'No',
    contactTitle: 'Quién tiene sus datos',
    controller: (organisation) => `${organisation} es responsable de estos datos (responsable del tratamiento).`,
    what: 'Qué datos tenemos',
    why: 'Para qué',
    legalBasis: 'Base jurídica',
    recipients: 'Quién los recibe',
    retention: 'Cuánto tiempo los conservamos',
    source: 'De dónde proceden',
    transfers: 'Transferencias fuera del EEE y sus garantías',
    automatedDecisions: 'Decisiones automatizadas, incluida la elaboración de perfiles',
    none: 'Ninguna',
    records: 'Registros',
    nothingHeld: 'Aquí no tenemos datos sobre usted.',
    sentSeparately: 'Nuestro personal ha revisado este sistema a mano; le enviará por separado lo que haya encontrado.',
    unavailable: 'No se pudo consultar este sistema a tiempo; le enviaremos sus datos por separado.',
    rightsTitle: 'Sus derechos',
    rights: [
      'Puede pedirnos que rectifiquemos los datos inexactos (RGPD, art. 16).',
      'Puede pedirnos que supriamos sus datos (RGPD, art. 17) o que limitemos su uso (art. 18).',
      'Puede recibir los datos que nos facilitó en un formato legible por máquina y pedir que se transmitan a otra organización (art. 20).',
      'Puede oponerse al tratamiento basado en nuestros intereses legítimos, y al marketing directo en cualquier momento (art. 21).',
      'Puede retirar su consentimiento en cualquier momento, sin que ello afecte al tratamiento anterior a la retirada.',
      'Puede presentar una reclamación ante una autoridad de control de protección de datos.',
    ],
  },
};

const texts: Readonly<Record<RequesterLanguage, RequesterTexts>> = { en, fr, de, es };

export function requesterTexts(language: RequesterLanguage): RequesterTexts {
  return texts[language];
}

/** "3 records", "1 Datensatz": the plural form the language's rules choose for `count`. */
export function counted(forms: Counted, count: number, locale: string): string {
  const form = new Intl.PluralRules(locale).select(count) === 'one' ? forms.one : forms.other;
  return form.replace('{n}', String(count));
}

/**
 * The one way requester mails and the report write a moment: date, time and time zone, as the
 * requester's language writes them ("2 March 2026 at 09:15 UTC", "2 mars 2026 à 09:15 UTC",
 * "2. März 2026 um 09:15 UTC"). Always UTC, and said so: due dates end at 23:59:59 UTC.
 */
export function formatDate(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
}
