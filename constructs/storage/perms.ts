/** Object read actions (no wildcards, so policies stay reviewable). */
export const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'];

/** Object write actions. */
export const OBJECT_WRITE_ACTIONS = ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'];

/** Bucket-level listing actions. */
export const BUCKET_LIST_ACTIONS = ['s3:ListBucket', 's3:GetBucketLocation'];
