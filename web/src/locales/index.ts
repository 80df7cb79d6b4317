// Every namespace in both languages. Each role's pages own their namespace's files.
import adminEn from "./en/admin.json";
import commonEn from "./en/common.json";
import consentsEn from "./en/consents.json";
import credentialsEn from "./en/credentials.json";
import institutionEn from "./en/institution.json";
import learnerEn from "./en/learner.json";
import notificationsEn from "./en/notifications.json";
import reviewerEn from "./en/reviewer.json";
import adminZh from "./zh-CN/admin.json";
import commonZh from "./zh-CN/common.json";
import consentsZh from "./zh-CN/consents.json";
import credentialsZh from "./zh-CN/credentials.json";
import institutionZh from "./zh-CN/institution.json";
import learnerZh from "./zh-CN/learner.json";
import notificationsZh from "./zh-CN/notifications.json";
import reviewerZh from "./zh-CN/reviewer.json";

export const resources = {
  "zh-CN": { common: commonZh, learner: learnerZh, consents: consentsZh, credentials: credentialsZh, reviewer: reviewerZh, institution: institutionZh, admin: adminZh, notifications: notificationsZh },
  en: { common: commonEn, learner: learnerEn, consents: consentsEn, credentials: credentialsEn, reviewer: reviewerEn, institution: institutionEn, admin: adminEn, notifications: notificationsEn },
} as const;
